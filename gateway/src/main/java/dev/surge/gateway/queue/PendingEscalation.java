package dev.surge.gateway.queue;

import java.util.Map;

/**
 * Everything needed to store a new escalation, fixed before the first write: its id, queue, score and record, and
 * the Idempotency-Key it answers. Written to Redis as it is, or to the spool as one JSON line and replayed as it is
 * later, so a replay is the very same write (and the script makes a repeated write a no-op).
 *
 * @param score created − tier boost, in ms; the queue's score, with its tie-break, is the record's {@code score}
 * @param idempotencyKey the Redis key of the caller's Idempotency-Key
 * @param fields the record's hash fields
 */
public record PendingEscalation(String id, Skill skill, long score, long createdAtMillis, String idempotencyKey,
                         String fingerprint, Map<String, String> fields) {
}
