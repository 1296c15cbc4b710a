package dev.surge.gateway.demo;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * A write as it reached the simulator: method, path, its Idempotency-Key and If-Match (null when absent) and the
 * parsed JSON body. Two calls are the same request, for the Idempotency-Key, when all but the key are equal (JSON
 * objects compare member by member, whatever the order).
 */
record WriteCall(String method, String path, @Nullable String idempotencyKey, @Nullable String ifMatch,
                 JsonNode body) {

    /** What a stored answer is matched against: everything but the key itself. */
    record Fingerprint(String method, String path, @Nullable String ifMatch, JsonNode body) {
    }

    Fingerprint fingerprint() {
        return new Fingerprint(method, path, ifMatch, body);
    }
}
