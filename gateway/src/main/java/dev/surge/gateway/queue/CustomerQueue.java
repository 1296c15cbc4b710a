package dev.surge.gateway.queue;

import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The queue as the escalation intake and the customer API use it: store an escalation once per Idempotency-Key,
 * read one without its hand-off context, give one up, and follow every change. Errors are raw (a Redis failure or
 * timeout is an error signal, never a problem yet): the intake spools on them, the customer API answers 503.
 */
public interface CustomerQueue {

    /**
     * The Redis key that stands for a caller's Idempotency-Key; hashed, so any key a client sends (up to 255
     * characters) makes a short, safe key. {@code scope} keeps two callers' keys apart.
     */
    static String idempotencyKey(String scope, String key) {
        return EscalationKeys.idempotency(scope, key);
    }

    /**
     * The Redis key of the escalation's record (a hash with its {@code status}, {@code customerId}, {@code createdBy},
     * {@code agentId}, {@code agentName} and {@code transfers} fields), for features that keep data of their own with
     * the escalation and check it in the same script; their keys must carry {@link #HASH_TAG} to share its slot.
     */
    static String recordKey(String id) {
        return EscalationKeys.escalation(id);
    }

    /** The hash tag every key of an escalation carries, so that one script can reach them all on Redis Cluster. */
    String HASH_TAG = "{esc}";

    /**
     * Stores the escalation unless it exists, checking its Idempotency-Key first unless {@code replay} (a spool
     * replay stores what was accepted already). Atomic across instances.
     */
    Mono<Enqueued> enqueue(PendingEscalation pending, long nowMillis, boolean replay);

    /** The escalation with its live position and wait, without its hand-off context; empty when there is none. */
    Mono<Escalation> find(String id, long nowMillis);

    /** The customer (or the phone system that made it) gives it up; {@code ownerField} names who may. */
    Mono<Abandoned> abandon(String id, String ownerField, String ownerValue, long nowMillis);

    /**
     * Moves a waiting callback to a new window (its contact as JSON, and when the window opens): it keeps its place,
     * and is offered to agents from {@code opensAtMillis} on.
     */
    Mono<Rescheduled> reschedule(String id, String ownerField, String ownerValue, String contactJson,
                                 long opensAtMillis);

    /** Every change to any escalation, from any instance. */
    Flux<Change> changes();

    /** What {@link #enqueue} did. */
    enum Outcome {
        /** Stored now by this call: the escalation is new. */
        CREATED,
        /** Already stored (by another attempt of the same request, or an earlier replay): nothing changed. */
        EXISTED,
        /** The Idempotency-Key was done before: the first answer again. */
        REPEATED,
        /** The Idempotency-Key was used for another request: nothing stored. */
        KEY_REUSED
    }

    /**
     * The answer of {@link #enqueue}: the escalation's id, status, place and estimated wait (null when not
     * waiting), and for {@link Outcome#CREATED} the customer's earlier escalations, newest first.
     */
    record Enqueued(Outcome outcome, String id, String status, @Nullable Integer position,
                    @Nullable Long estimatedWaitSeconds, @Nullable List<Escalation.Earlier> earlier) {
    }

    /** What {@link #abandon} did. */
    enum Abandoned {
        ABANDONED,
        /** Resolved (or abandoned) before: nothing changed. */
        ALREADY_FINISHED,
        /** No such escalation, or not the owner's. */
        NOT_FOUND
    }

    /** What {@link #reschedule} did. */
    enum Rescheduled {
        RESCHEDULED,
        /** Not a callback waiting for its window (an agent holds it, or it is finished): nothing changed. */
        NOT_WAITING,
        /** No such escalation, or not the owner's. */
        NOT_FOUND
    }

    /** One change; the skill is the queue it is in (or was in, once finished). */
    record Change(String id, Skill skill, String status) {
    }
}
