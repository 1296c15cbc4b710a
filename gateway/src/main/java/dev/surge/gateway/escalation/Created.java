package dev.surge.gateway.escalation;

import org.jspecify.annotations.Nullable;

/**
 * The answer to a create: what the 202 says. Kept with the Idempotency-Key, so a retry gets the same answer.
 *
 * @param position null while spooled (Redis was away; the place is taken when it is replayed)
 */
record Created(String id, String status, @Nullable Integer position, @Nullable Long estimatedWaitSeconds) {
}
