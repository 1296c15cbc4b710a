package dev.surge.gateway.escalation;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.Hashes;
import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.idempotency.IdempotencyKeys;
import dev.surge.gateway.idempotency.InProgress;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.identity.Tier;
import dev.surge.gateway.queue.CustomerQueue;
import dev.surge.gateway.queue.Escalation;
import dev.surge.gateway.queue.EscalationStatus;
import dev.surge.gateway.queue.PendingEscalation;
import dev.surge.gateway.queue.QueueProperties;
import tools.jackson.databind.json.JsonMapper;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Takes escalations in: Idempotency-Key, hand-off context, then the record into Redis before the 202, or into the
 * spool when Redis cannot be reached. Redis here is <b>fail-safe, never fail-open</b>: an accepted escalation must
 * never be lost, so when Redis fails the escalation is forced to local disk first, and only then accepted.
 */
final class EscalationIntake {

    private static final Logger log = LoggerFactory.getLogger(EscalationIntake.class);

    private final CustomerQueue queue;
    private final HandOffAssembler handOff;
    private final EscalationSpool spool;
    private final QueueProperties properties;
    private final EscalationMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;
    private final List<EscalationListener> listeners;
    /**
     * Keys answered from the spool while Redis was away. Checked before Redis, so a retry that arrives after Redis
     * is back, but before the replay, still gets the first answer. Per instance: a retry on another instance during
     * an outage is spooled there too, with the same id (see {@link #idFor}), and the replays store it once.
     */
    private final Cache<String, Spooled> spooledKeys;
    /**
     * Escalations this instance spooled and has not replayed yet, by id, so their customer can read them meanwhile
     * (Redis knows nothing of them until the replay). Dropped once Redis holds them.
     */
    private final Cache<String, Escalation> spooledEscalations;
    /**
     * Keys of the creates this instance is working on, so that a retry arriving meanwhile is told 409 (the draft's
     * "still being processed") instead of making the same escalation again. A concurrent retry that reaches another
     * instance makes the same id and gets the first answer (see {@link #idFor}), which is as safe, only not a 409.
     */
    private final InProgress working = new InProgress();
    /** The last arrival: its millisecond in the high bits, its rank within that millisecond in the low 10. */
    private final AtomicLong arrivals = new AtomicLong();

    private record Spooled(String fingerprint, @Nullable Created answer) {
    }

    EscalationIntake(CustomerQueue queue, HandOffAssembler handOff, EscalationSpool spool,
                     QueueProperties properties, EscalationMetrics metrics, JsonMapper json, Clock clock,
                     List<EscalationListener> listeners) {
        this.queue = queue;
        this.handOff = handOff;
        this.spool = spool;
        this.properties = properties;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.listeners = listeners;
        this.spooledKeys = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(properties.idempotencyTtl()).build();
        this.spooledEscalations = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(properties.idempotencyTtl()).build();
    }

    /** The answer, whether it came from an earlier request with the same key, and whether it went to the spool. */
    record Answer(Created created, boolean replayed, boolean spooled) {
    }

    /**
     * The hand-off context first, then one script that checks the key and stores the escalation. A retry that
     * reaches this instance while the first attempt is still here is told 409. No "in progress" marker is kept in
     * Redis: every attempt of one request makes the same id (see {@link #idFor}), so attempts that do run
     * concurrently (on different instances) store the same escalation once and answer alike. The trace id of the
     * request (the one its log lines and back-office calls carry) is recorded with it; it is not part of the request's
     * fingerprint: a retry, in a trace of its own, makes the same escalation, which keeps the first attempt's.
     */
    Mono<Answer> create(Caller caller, String idempotencyKey, EscalationRequest request, @Nullable String traceId) {
        String key = CustomerQueue.idempotencyKey(Ownership.idempotencyScope(caller), idempotencyKey);
        String fingerprint = request.fingerprint();
        Spooled spooled = spooledKeys.getIfPresent(key);
        if (spooled != null) {
            return Mono.fromCallable(() -> replayLocal(spooled, fingerprint));
        }
        return working.guard(key, () -> handOff.assemble(request.customerId(), request.orderId(),
                        caller.actsForCustomers())
                .map(context -> pending(caller, key, fingerprint, request, context, traceId))
                .flatMap(pending -> queue.enqueue(pending, clock.millis(), false)
                        .flatMap(enqueued -> answer(pending, enqueued))
                        .onErrorResume(e -> !(e instanceof SurgeException), e -> spool(pending, e))));
    }

    private Mono<Answer> answer(PendingEscalation pending, CustomerQueue.Enqueued enqueued) {
        Created created = new Created(enqueued.id(), enqueued.status(), enqueued.position(),
                enqueued.estimatedWaitSeconds());
        return switch (enqueued.outcome()) {
            case CREATED -> {
                Answer answer = new Answer(created, false, false);
                announce(pending, answer, enqueued.earlier());
                yield Mono.just(answer);
            }
            case EXISTED -> Mono.just(new Answer(created, false, false));
            case REPEATED -> {
                metrics.idempotentReplay();
                yield Mono.just(new Answer(created, true, false));
            }
            case KEY_REUSED -> Mono.error(IdempotencyKeys.reused());
        };
    }

    private Answer replayLocal(Spooled spooled, String fingerprint) {
        if (!spooled.fingerprint().equals(fingerprint)) {
            throw IdempotencyKeys.reused();
        }
        if (spooled.answer() == null) {
            throw IdempotencyKeys.inUse();
        }
        metrics.idempotentReplay();
        return new Answer(spooled.answer(), true, true);
    }

    /**
     * Forces the escalation to local disk when Redis failed or was too slow. Concurrent attempts of one request on
     * this instance are told 409 while the first is written, and its answer afterwards (a local key map, checked
     * before Redis); a failed write frees the key again, so the client may retry.
     */
    private Mono<Answer> spool(PendingEscalation pending, Throwable cause) {
        String key = pending.idempotencyKey();
        Spooled writing = new Spooled(pending.fingerprint(), null);
        Spooled earlier = spooledKeys.asMap().putIfAbsent(key, writing);
        if (earlier != null) {
            return Mono.fromCallable(() -> replayLocal(earlier, pending.fingerprint()));
        }
        log.warn("Redis failed storing escalation {}; spooling it: {}", pending.id(), cause.toString());
        Created created = new Created(pending.id(), pending.fields().get("status"), null, null);
        Answer answer = new Answer(created, false, true);
        // Subscribed on its own, so a client that hangs up mid-write cannot leave the key "in progress" for a day
        // nor skip the announcement of an escalation that is on disk.
        CompletableFuture<Answer> durable = spool.append(pending)
                .doOnSuccess(done -> {
                    metrics.spoolWrite();
                    spooledKeys.put(key, new Spooled(pending.fingerprint(), created));
                    spooledEscalations.put(pending.id(), escalation(pending, created, null));
                    announce(pending, answer, null);
                })
                .onErrorMap(e -> {
                    spooledKeys.asMap().remove(key, writing);
                    log.error("could not spool escalation {}", pending.id(), e);
                    return new SurgeException(HttpStatus.SERVICE_UNAVAILABLE, "escalation-unavailable",
                            "Service Unavailable", "We cannot take your request right now. Please try again shortly.");
                })
                .thenReturn(answer)
                .toFuture();
        return Mono.fromFuture(durable, true);
    }

    private PendingEscalation pending(Caller caller, String key, String fingerprint, EscalationRequest request,
                                      HandOffAssembler.HandOff context, @Nullable String traceId) {
        long now = clock.millis();
        String id = idFor(key, fingerprint);
        String status = request.contact().isCallback() ? EscalationStatus.CALLBACK_SCHEDULED.wire()
                : EscalationStatus.QUEUED.wire();
        long score = now - properties.boostMillis(context.tier());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("customerId", request.customerId());
        if (caller.actsForCustomers()) {
            fields.put("createdBy", Ownership.serviceRef(caller));
        }
        fields.put("status", status);
        fields.put("waitingStatus", status);
        fields.put("channel", request.channel());
        fields.put("reason", request.reason().wire());
        fields.put("skill", request.skill().wire());
        fields.put("tier", context.tier().name().toLowerCase(java.util.Locale.ROOT));
        if (request.orderId() != null) {
            fields.put("orderId", request.orderId());
        }
        if (request.message() != null) {
            fields.put("message", request.message());
        }
        fields.put("contact", json.writeValueAsString(request.contact()));
        if (request.contact().isCallback() && request.contact().windowStart() != null) {
            // The queue offers it to agents only from here on (claim.lua); it keeps its place meanwhile.
            fields.put("opensAt", Long.toString(request.contact().windowStart().toEpochMilli()));
        }
        fields.put("context", context.contextJson());
        fields.put("score", queueScore(score, now));
        fields.put("createdAt", Long.toString(now));
        if (traceId != null) {
            // A field of the record like the others, so the spool writes it and its replay stores it as they are.
            fields.put("traceId", traceId);
        }
        return new PendingEscalation(id, request.skill(), score, now, key, fingerprint, fields);
    }

    /**
     * The escalation's id, derived from the caller's Idempotency-Key and the request (a version-8 UUID, RFC 9562, of
     * their SHA-256), never drawn at random: every attempt of one request makes the same id, on any instance, whether
     * it reached Redis or the spool. {@code enqueue.lua} stores an id only once, so a retry spooled because Redis was
     * slow (its key already done, or still in progress elsewhere) replays into the escalation that exists instead of
     * making a second one. Ids are not secrets (every read checks the owner, a guessed id answers 404).
     */
    static String idFor(String idempotencyKey, String fingerprint) {
        String digest = Hashes.sha256(idempotencyKey + "\u0000" + fingerprint);
        long high = (Long.parseUnsignedLong(digest.substring(0, 16), 16) & ~0xF000L) | 0x8000L;
        long low = (Long.parseUnsignedLong(digest.substring(16, 32), 16) & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /**
     * The score in the waiting queue: created − tier boost in milliseconds, plus the arrival's rank within its
     * millisecond on this instance in 1/1024 ms (exact in a double until the year 2248). Ids are derived from the
     * request, not from time, so without it equal scores would be ordered by id instead of first come, first served.
     */
    String queueScore(long score, long now) {
        long tick = arrivals.updateAndGet(last -> last >>> 10 == now ? Math.min(last + 1, (now << 10) | 1023)
                : now << 10);
        return BigDecimal.valueOf(score).add(BigDecimal.valueOf(tick & 1023).divide(BigDecimal.valueOf(1024)))
                .toPlainString();
    }

    private void announce(PendingEscalation pending, Answer answer, @Nullable List<Escalation.Earlier> earlier) {
        metrics.created(pending.fields().get("channel"), pending.fields().get("reason"), answer.spooled());
        Escalation escalation = escalation(pending, answer.created(), earlier);
        for (EscalationListener listener : listeners) {
            try {
                listener.escalated(escalation);
            } catch (RuntimeException e) {
                log.warn("escalation listener failed: {}", e.toString());
            }
        }
    }

    /** The escalation as created, without its hand-off context, as far as this instance knows it. */
    private Escalation escalation(PendingEscalation pending, Created created,
                                  @Nullable List<Escalation.Earlier> earlier) {
        Map<String, String> f = pending.fields();
        return new Escalation(pending.id(), f.get("customerId"), f.get("createdBy"),
                EscalationStatus.fromWire(created.status()), f.get("reason"), f.get("channel"), pending.skill(),
                Tier.valueOf(f.get("tier").toUpperCase(java.util.Locale.ROOT)), f.get("orderId"), f.get("message"),
                json.readValue(f.get("contact"), Escalation.Contact.class),
                java.time.Instant.ofEpochMilli(pending.createdAtMillis()), created.position(),
                created.estimatedWaitSeconds(), null, null, null, null, null, null, null, null, null, earlier, null,
                f.get("traceId"));
    }

    /**
     * An escalation this instance spooled and has not replayed yet: as its 202 described it (waiting, no position
     * yet). Null when there is none; the caller still checks the owner.
     */
    @Nullable Escalation spooled(String id) {
        return spooledEscalations.getIfPresent(id);
    }

    /** Writes every spooled escalation it can into Redis; answers how many. */
    Mono<Integer> replaySpool() {
        return spool.replay(pending -> queue.enqueue(pending, clock.millis(), true)
                        .doOnSuccess(stored -> spooledEscalations.invalidate(pending.id())).then())
                .doOnNext(count -> {
                    if (count > 0) {
                        metrics.spoolReplayed(count);
                        log.info("replayed {} spooled escalations into Redis", count);
                    }
                });
    }
}
