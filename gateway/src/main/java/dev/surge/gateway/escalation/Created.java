package dev.surge.gateway.escalation;

import org.jspecify.annotations.Nullable;

/**
 * The answer to a create: what the 202 says. Kept with the Idempotency-Key, so a retry gets the same answer.
 *
 * @param position null while spooled (Redis was away; the place is taken when it is replayed)
 */
record Created(String id, String status, @Nullable Integer position, @Nullable Long estimatedWaitSeconds) {

    static Created of(String id, String status, String position, String waitMs) {
        int place = Integer.parseInt(position);
        long wait = Long.parseLong(waitMs);
        return new Created(id, status, place > 0 ? place : null, place > 0 ? Math.max(0, wait / 1000) : null);
    }
}
