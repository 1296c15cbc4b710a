package dev.surge.gateway.conversation;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a conversation as both sides read it: a message ({@code from} customer or agent, with its text) or an
 * event of the escalation ({@code from} system: {@code joined}, {@code transferred}, {@code requeued},
 * {@code resolved}, {@code abandoned}). The id is the stream entry's, which is also the SSE event id.
 *
 * @param name the agent's display name on an agent's message and on {@code joined}; null otherwise
 * @param text the message as typed, never markup; null on events
 */
record Entry(String id, String from, @Nullable String event, @Nullable String name, @Nullable String text,
             Instant at) {

    static final String SYSTEM = "system";

    static Entry of(String id, Map<?, ?> fields) {
        String from = String.valueOf(fields.get("from"));
        String name = (String) fields.get("name");
        Object at = fields.get("at");
        return new Entry(id, from, (String) fields.get("event"), name == null || name.isEmpty() ? null : name,
                (String) fields.get("text"), Instant.ofEpochMilli(at == null ? 0 : Long.parseLong(at.toString())));
    }

    /** Whether the escalation is over: nothing follows this entry. */
    boolean isFinal() {
        return SYSTEM.equals(from) && ("resolved".equals(event) || "abandoned".equals(event));
    }
}
