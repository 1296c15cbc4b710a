package dev.surge.loadtests.gatling;

import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The load generator's own record of every self-service write it sent (per Idempotency-Key: the customer's token,
 * what was asked and every answer), and at the end what the gateway and the back office say of them. From it: a key
 * answered two different ways (a retry or re-send must get the first final answer), writes lost (answered as made
 * but not there when read back), and the exact count: the simulated back office's applied writes over the run equal
 * the distinct keys answered 2xx, so nothing was made twice, not even a write whose first answer was lost (502/504)
 * and that was sent again with the same key.
 *
 * <p>The count is exact only on a gateway whose back-office simulator nobody else writes to during the run, and while
 * fewer customers write than the simulator keeps changes for ({@code surge.demo.max-changed-customers}, 10,000:
 * beyond it the oldest customer's changes and keys are forgotten, as the spike's 100,000 customers can make happen).
 */
final class WriteLedger {

    /** How an attempt ended, from its status (and problem type). */
    enum Answer {
        /** 2xx: made (or made before, for a repeated key). Final. */
        DONE,
        /** 409/422 a rule decided (not the two idempotency answers below): nothing made. Final. */
        REFUSED,
        /** 404 or 400: the gateway or back office decided there was nothing to do. Final; never expected here. */
        REJECTED,
        /** 409 {@code idempotency-key-in-use}: the first attempt still runs; retry. */
        IN_USE,
        /** 422 {@code idempotency-key-reused}: this key was used for another request. A load-generator bug. */
        REUSED,
        /** 502, 504, 500 or no answer: it may or may not have been made; retry with the same key. */
        UNKNOWN,
        /** 429 or 503: not made; retry with the same key after Retry-After. */
        NOT_TRIED;

        boolean isFinal() {
            return this == DONE || this == REFUSED || this == REJECTED || this == REUSED;
        }

        static Answer of(int status, @Nullable String problemType) {
            String slug = problemType == null ? "" : problemType.substring(problemType.lastIndexOf('/') + 1);
            if (status >= 200 && status < 300) {
                return DONE;
            }
            if (status == 409 && slug.equals("idempotency-key-in-use")) {
                return IN_USE;
            }
            if (status == 422 && slug.equals("idempotency-key-reused")) {
                return REUSED;
            }
            return switch (status) {
                case 409, 422 -> REFUSED;
                case 400, 404 -> REJECTED;
                case 429, 503 -> NOT_TRIED;
                default -> UNKNOWN;
            };
        }
    }

    /** One write as sent: who, what (the same method, path and body on every attempt), and its answers. */
    static final class Write {
        final String key;
        final String token;
        final String kind;
        final String orderId;
        final String path;
        final String body;
        volatile @Nullable Answer finalAnswer;
        volatile @Nullable String finalIdentity;
        volatile @Nullable String rma;
        volatile boolean hadUnknown;
        volatile @Nullable String readBack;

        Write(String key, String token, String kind, String orderId, String path, String body) {
            this.key = key;
            this.token = token;
            this.kind = kind;
            this.orderId = orderId;
            this.path = path;
            this.body = body;
        }
    }

    private static final WriteLedger RUN = new WriteLedger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WRITE_ENDPOINTS = {"returns", "cancellation", "address", "preferences"};

    private final Map<String, Write> byKey = new ConcurrentHashMap<>();
    private final Map<Answer, AtomicLong> attempts = new ConcurrentHashMap<>();
    private final AtomicLong answeredDifferently = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong escalations = new AtomicLong();
    private final Queue<Write> toVerify = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean verificationStarted = new AtomicBoolean();
    private volatile long @Nullable [] backOfficeBefore;
    private volatile long @Nullable [] backOfficeAfter;

    static WriteLedger run() {
        return RUN;
    }

    /** A new write about to be sent for the first time. */
    void sent(String key, String token, String kind, String orderId, String path, String body) {
        byKey.putIfAbsent(key, new Write(key, token, kind, orderId, path, body));
    }

    /**
     * One attempt's answer (status -1: none). The first final answer of a key is its answer; a later final answer
     * must be the same: the same status and, when made, the same body (an RMA, a cancellation with its time), and
     * for a refusal the same problem type.
     */
    Answer answered(String key, int status, @Nullable String problemType, @Nullable String body,
                    @Nullable String rma) {
        Answer answer = Answer.of(status, problemType);
        attempts.computeIfAbsent(answer, a -> new AtomicLong()).incrementAndGet();
        Write write = byKey.get(key);
        if (write == null) {
            return answer;
        }
        if (!answer.isFinal()) {
            write.hadUnknown |= answer == Answer.UNKNOWN;
            return answer;
        }
        String identity = status + " " + (answer == Answer.DONE ? body : problemType);
        synchronized (write) {
            if (write.finalAnswer == null) {
                write.finalAnswer = answer;
                write.finalIdentity = identity;
                write.rma = rma;
            } else if (!identity.equals(write.finalIdentity)) {
                answeredDifferently.incrementAndGet();
                System.err.println("write key " + key + " answered two ways: " + write.finalIdentity + " | "
                        + identity);
            }
        }
        return answer;
    }

    /** A final answer sent again with the same key, as an app does after its own timeout. */
    void resent() {
        resent.incrementAndGet();
    }

    /** An escalation sent from a refused action's offer. */
    void escalated() {
        escalations.incrementAndGet();
    }

    /**
     * The next write to verify once the load is over (re-sent while it has no final answer, then read back when it
     * was made), or null when all were handed out.
     */
    @Nullable Write nextToVerify() {
        if (!verificationStarted.getAndSet(true)) {
            toVerify.addAll(byKey.values());
        }
        return toVerify.poll();
    }

    /** What reading a made write back showed: {@code found}, or what was seen instead. */
    void readBack(Write write, String seen) {
        write.readBack = seen;
    }

    /** The simulator's stats ({@code /demo/backoffice/stats}) before the load; empty when there are none. */
    void backOfficeBefore(String stats) {
        backOfficeBefore = writeCounts(stats);
    }

    void backOfficeAfter(String stats) {
        backOfficeAfter = writeCounts(stats);
    }

    /** applied, replayed, refused over every write endpoint; null when the stats could not be read. */
    private static long @Nullable [] writeCounts(String stats) {
        if (stats.isBlank()) {
            return null;
        }
        try {
            JsonNode writes = JSON.readTree(stats).path("writes");
            long[] counts = new long[3];
            for (String endpoint : WRITE_ENDPOINTS) {
                JsonNode outcome = writes.path(endpoint);
                counts[0] += outcome.path("applied").asLong();
                counts[1] += outcome.path("replayed").asLong();
                counts[2] += outcome.path("refused").asLong();
            }
            return counts;
        } catch (Exception e) {
            return null;
        }
    }

    private long backOffice(int index) {
        long[] before = backOfficeBefore;
        long[] after = backOfficeAfter;
        return before == null || after == null ? -1 : after[index] - before[index];
    }

    /** Writes the back office made over the run, or -1 when its stats could not be read. */
    long backOfficeApplied() {
        return backOffice(0);
    }

    long keys() {
        return byKey.size();
    }

    long finalCount(Answer answer) {
        return byKey.values().stream().filter(w -> w.finalAnswer == answer).count();
    }

    /** Keys answered 2xx: the writes the customers were told were made. */
    long made() {
        return finalCount(Answer.DONE);
    }

    /** Keys without a final answer even after the verification's re-sends. */
    long unresolved() {
        return byKey.values().stream().filter(w -> w.finalAnswer == null).count();
    }

    /** Keys that got a lost answer (502/504/none) at least once and a final one later, with the same key. */
    long recoveredAfterUnknown() {
        return byKey.values().stream().filter(w -> w.hadUnknown && w.finalAnswer != null).count();
    }

    /** Made writes not found when read back (or not read back at all). */
    long lost() {
        return byKey.values().stream()
                .filter(w -> w.finalAnswer == Answer.DONE && !"found".equals(w.readBack)).count();
    }

    long answeredDifferently() {
        return answeredDifferently.get();
    }

    /** Back-office writes beyond the keys answered as made: a key made twice (or a made write nobody was told of). */
    long duplicated() {
        long applied = backOfficeApplied();
        return applied < 0 ? -1 : Math.max(0, applied - made());
    }

    /** Every key made exactly once: the back office's applied writes equal the keys answered 2xx, none unresolved. */
    boolean exactlyOnce() {
        return backOfficeApplied() == made() && unresolved() == 0;
    }

    long attempts(Answer answer) {
        AtomicLong count = attempts.get(answer);
        return count == null ? 0 : count.get();
    }

    String summary() {
        return String.format(Locale.ROOT, "writes_sent=%d made=%d refused=%d rejected=%d key_reused=%d "
                        + "unresolved=%d recovered_after_lost_answer=%d resent_same_key=%d answered_differently=%d "
                        + "lost=%d backoffice_applied=%d backoffice_replayed=%d backoffice_refused=%d duplicated=%d "
                        + "attempts_lost_answer=%d attempts_not_tried=%d attempts_in_use=%d "
                        + "escalations_from_refusals=%d",
                keys(), made(), finalCount(Answer.REFUSED), finalCount(Answer.REJECTED), finalCount(Answer.REUSED),
                unresolved(), recoveredAfterUnknown(), resent.get(), answeredDifferently(), lost(),
                backOfficeApplied(), backOffice(1), backOffice(2), duplicated(), attempts(Answer.UNKNOWN),
                attempts(Answer.NOT_TRIED), attempts(Answer.IN_USE), escalations.get());
    }
}
