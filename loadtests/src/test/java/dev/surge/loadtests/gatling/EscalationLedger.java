package dev.surge.loadtests.gatling;

import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The load generator's own record of every escalation it created (id → the customer's token, per Idempotency-Key),
 * every claim and every resolution, and at the end what the gateway says of each one. From it: lost (created but
 * unknown to the gateway), duplicated (one key answered with two ids, or one escalation resolved twice) and the
 * exact count check: created = resolved + still open.
 */
final class EscalationLedger {

    private static final EscalationLedger RUN = new EscalationLedger();

    private final Map<String, String> tokenById = new ConcurrentHashMap<>();
    private final Map<String, String> idByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> resolutions = new ConcurrentHashMap<>();
    private final AtomicLong keyAnsweredWithAnotherId = new AtomicLong();
    private final Queue<String> toVerify = new ConcurrentLinkedQueue<>();
    private final Map<String, String> verifiedStatus = new ConcurrentHashMap<>();
    private final AtomicBoolean verificationStarted = new AtomicBoolean();
    private volatile long queueDepth = -1;

    static EscalationLedger run() {
        return RUN;
    }

    /** A 202 for this Idempotency-Key with this id. */
    void created(String key, String id, String token) {
        tokenById.put(id, token);
        String first = idByKey.putIfAbsent(key, id);
        if (first != null && !first.equals(id)) {
            keyAnsweredWithAnotherId.incrementAndGet();
        }
    }

    void claimed(String id) {
        claims.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    void resolved(String id) {
        resolutions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    int created() {
        return tokenById.size();
    }

    /**
     * The next escalation to read back, as {id, token}, or null when all were handed out. The first call (once the
     * load is over) takes the list of everything created.
     */
    String @Nullable [] nextToVerify() {
        if (!verificationStarted.getAndSet(true)) {
            toVerify.addAll(tokenById.keySet());
        }
        String id = toVerify.poll();
        return id == null ? null : new String[] {id, tokenById.get(id)};
    }

    /** What the gateway answered for this escalation: its status, or {@code http-NNN} when it was not a 200. */
    void verified(String id, String status) {
        verifiedStatus.put(id, status);
    }

    void queueDepth(long depth) {
        this.queueDepth = depth;
    }

    long count(String status) {
        return verifiedStatus.values().stream().filter(status::equals).count();
    }

    long stillOpen() {
        return count("queued") + count("callback_scheduled") + count("offered") + count("assigned");
    }

    long waiting() {
        return count("queued") + count("callback_scheduled");
    }

    /** Created, yet the gateway did not answer with a status for it (404 or never read back). */
    long lost() {
        return created() - count("resolved") - count("abandoned") - stillOpen();
    }

    /** One key answered with two ids, or one escalation resolved twice. */
    long duplicated() {
        return keyAnsweredWithAnotherId.get() + resolutions.values().stream().filter(n -> n.get() > 1).count();
    }

    /** Created escalations the agents resolved, per the agents' own 2xx answers. */
    long resolvedByAgents() {
        return resolutions.size();
    }

    long claimedMoreThanOnce() {
        return claims.values().stream().filter(n -> n.get() > 1).count();
    }

    long queueDepth() {
        return queueDepth;
    }

    String summary() {
        return String.format(Locale.ROOT, "escalations_created=%d resolved=%d (agents saw %d) still_open=%d "
                        + "(waiting %d, queue depth %d) abandoned=%d lost=%d duplicated=%d (same key other id %d, "
                        + "resolved twice %d) claimed_more_than_once=%d unreadable=%d",
                created(), count("resolved"), resolvedByAgents(), stillOpen(), waiting(), queueDepth,
                count("abandoned"), lost(), duplicated(), keyAnsweredWithAnotherId.get(),
                resolutions.values().stream().filter(n -> n.get() > 1).count(), claimedMoreThanOnce(),
                verifiedStatus.values().stream().filter(s -> s.startsWith("http-")).count());
    }
}
