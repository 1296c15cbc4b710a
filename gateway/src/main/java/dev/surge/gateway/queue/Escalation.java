package dev.surge.gateway.queue;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.identity.Tier;

/**
 * An escalation as stored, with its live queue position and estimated wait while it waits. The hand-off context
 * (profile, account, order, shipment, journey) is the raw JSON assembled at creation, only read for agents.
 *
 * @param createdBy null when the customer submitted it, else {@code service:<id>} of the phone system that did
 * @param position 1 for the next to be served, null when not waiting (or not known yet, while spooled)
 * @param contextJson null unless read for an agent
 * @param earlier the customer's earlier escalations within the history window when this one was created, newest
 *                first; null when not known (spooled while Redis was away, not replayed yet)
 * @param actionsJson what agents did for the customer on this escalation (a JSON array, oldest first); null if nothing
 * @param traceId the W3C trace id of the request that created it (32 hex digits), so an agent's case can be followed
 *                back to the requests behind it in logs and traces; null for escalations stored before it was kept
 */
public record Escalation(String id, String customerId, @Nullable String createdBy, EscalationStatus status,
                         String reason, String channel, Skill skill, Tier tier, @Nullable String orderId,
                         @Nullable String message, Contact contact, Instant createdAt, @Nullable Integer position,
                         @Nullable Long estimatedWaitSeconds, @Nullable String agentId, @Nullable String agentName,
                         @Nullable Instant reservationExpiresAt, @Nullable Instant acceptedAt,
                         @Nullable Instant finishedAt, @Nullable String disposition, @Nullable String notes,
                         @Nullable String transferNote, @Nullable String contextJson,
                         @Nullable List<Earlier> earlier, @Nullable String actionsJson, @Nullable String traceId) {

    /** Without a trace id: escalations made before it was recorded, and code that has none to give. */
    public Escalation(String id, String customerId, @Nullable String createdBy, EscalationStatus status,
                      String reason, String channel, Skill skill, Tier tier, @Nullable String orderId,
                      @Nullable String message, Contact contact, Instant createdAt, @Nullable Integer position,
                      @Nullable Long estimatedWaitSeconds, @Nullable String agentId, @Nullable String agentName,
                      @Nullable Instant reservationExpiresAt, @Nullable Instant acceptedAt,
                      @Nullable Instant finishedAt, @Nullable String disposition, @Nullable String notes,
                      @Nullable String transferNote, @Nullable String contextJson,
                      @Nullable List<Earlier> earlier, @Nullable String actionsJson) {
        this(id, customerId, createdBy, status, reason, channel, skill, tier, orderId, message, contact, createdAt,
                position, estimatedWaitSeconds, agentId, agentName, reservationExpiresAt, acceptedAt, finishedAt,
                disposition, notes, transferNote, contextJson, earlier, actionsJson, null);
    }

    /** One of the customer's earlier escalations: which, and when it was made. */
    public record Earlier(String id, Instant createdAt) {
    }

    /**
     * How the customer wants to be reached: {@code chat}, or {@code callback} on a phone number within a window.
     */
    public record Contact(String method, @Nullable String phone, @Nullable Instant windowStart,
                          @Nullable Instant windowEnd) {

        public static final String CHAT = "chat";
        public static final String CALLBACK = "callback";

        public static Contact chat() {
            return new Contact(CHAT, null, null, null);
        }

        public boolean isCallback() {
            return CALLBACK.equals(method);
        }
    }
}
