package dev.surge.gateway.queue;

import dev.surge.gateway.core.Hashes;

/**
 * Redis keys of the escalation queue. All share the {@code {esc}} hash tag: the scripts move an escalation between
 * its record, the waiting queues and the hand-off streams atomically, which Redis Cluster allows within one slot
 * only (and the claim script picks across several queues). Call-center volumes (thousands a second at most) fit one
 * shard easily; the read path's much hotter keys are spread by customer instead.
 *
 * <ul>
 *   <li>{@code surge:{esc}:e:<id>} hash: the escalation; no TTL while open, {@code retention} once finished</li>
 *   <li>{@code surge:{esc}:waiting:<skill>} sorted set: waiting ids by score (enqueue time minus tier boost); lives
 *       as long as the queue</li>
 *   <li>{@code surge:{esc}:held:<skill>} stream with consumer group {@code holders}: one entry per reservation or
 *       assignment, pending under the holding agent, deleted when released</li>
 *   <li>{@code surge:{esc}:agents} and {@code surge:{esc}:agents:<skill>} sorted sets: agents by last seen (TTL 1 day
 *       after the last heartbeat)</li>
 *   <li>{@code surge:{esc}:stats} hash: average handle time per skill; kept for ever, it is one small hash</li>
 *   <li>{@code surge:{esc}:idem:<sha256>} hash: an Idempotency-Key of one caller and its first answer (TTL)</li>
 *   <li>{@code surge:{esc}:history:<customer>} sorted set: the customer's escalation ids by creation time, the
 *       newest {@code history.size + 1} within {@code history.window} (expires after it); written by the enqueue
 *       script, so a create costs no extra round trip for it</li>
 * </ul>
 */
final class EscalationKeys {

    static final String PREFIX = "surge:{esc}:";
    /** Pub/sub channel of every change: {@code "<id> <skill> <status>"}. */
    static final String CHANGES = "surge:esc:changes";
    static final String ALL_AGENTS = PREFIX + "agents";
    static final String STATS = PREFIX + "stats";

    private EscalationKeys() {
    }

    static String escalation(String id) {
        return PREFIX + "e:" + id;
    }

    static String waiting(Skill skill) {
        return PREFIX + "waiting:" + skill.wire();
    }

    static String held(Skill skill) {
        return PREFIX + "held:" + skill.wire();
    }

    static String agents(Skill skill) {
        return PREFIX + "agents:" + skill.wire();
    }

    static String history(String customerId) {
        return PREFIX + "history:" + customerId;
    }

    /** Hashed, so that any key a client sends (up to 255 characters) makes a short, safe Redis key. */
    static String idempotency(String scope, String key) {
        return PREFIX + "idem:" + Hashes.sha256(scope + "\u0000" + key);
    }
}
