package dev.surge.gateway.cache;

import java.time.Clock;
import java.time.Instant;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a back-office answer is stored in the cache: its JSON, with {@code asOf} (when the back office gave it) added
 * to an object. The self-service API serves these bytes as they are and the escalation hand-off reads them, so both
 * encode through here and either may fill the cache for the other.
 */
public final class JsonBodies {

    private static final String AS_OF = "asOf";

    private final JsonMapper json;
    private final Clock clock;

    public JsonBodies(JsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** The body as cached; runs on a cache miss only. */
    public byte[] encode(Object body) {
        JsonNode tree = json.valueToTree(body);
        if (tree instanceof ObjectNode object) {
            object.put(AS_OF, Instant.ofEpochMilli(clock.millis()).toString());
        }
        return json.writeValueAsBytes(tree);
    }
}
