package dev.surge.gateway.admission;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.identity.Caller;

/**
 * The waiting room of one instance: hands shed customers signed tickets to a FIFO queue shared through Redis, lets
 * admitted tickets in ahead of new arrivals, keeps new arrivals from overtaking the queue, and moves the queue on as
 * this instance's capacity frees.
 *
 * <p>Requests never wait on Redis except to be handed a new place (one script call, bounded by
 * {@code redis-timeout}); everything else (checking a ticket, its position and wait, whether a queue exists) is
 * decided from the {@link QueueState} each tick reads. <b>Fail-open to plain admission</b>: while Redis fails (see
 * {@link #redisFailures}), or the state is more than {@link #staleAfterMillis} old, there is no waiting room: shed
 * customers get the plain 503 and the limiter alone decides, counted in {@code surge.waitingroom.redis.fallbacks}. A
 * waiting room that cannot see its queue would only turn people away for nothing.
 */
final class WaitingRoom {

    /** Carries the ticket on the shed answer, and back on the customer's retries. */
    static final String TICKET_HEADER = "Surge-Waiting-Room-Ticket";

    private static final Logger log = LoggerFactory.getLogger(WaitingRoom.class);
    private static final int MAX_REDIS_FAILURES = 3;

    /** A ticket as presented by its customer, with where it stands. */
    record Presented(Ticket ticket, boolean admitted) {
    }

    /** A place to tell a customer about: the ticket string and what it means now. */
    record Place(String ticket, long position, long estimatedWaitSeconds, long refreshSeconds) {
    }

    private final WaitingRoomProperties properties;
    private final TicketSigner signer;
    private final RedisWaitingRoomStore store;
    private final PriorityLimiter limiter;
    private final Clock clock;
    private final Scheduler scheduler;
    private final WaitingRoomMetrics metrics;
    private final AtomicReference<QueueState> state = new AtomicReference<>(QueueState.UNKNOWN);
    private final Sinks.Many<QueueState> ticks = Sinks.many().multicast().directBestEffort();
    // Once per ticket and instance, for the used / expired counts; bounded, and nothing depends on it but metrics.
    private final Cache<Long, Boolean> used;
    private final Cache<Long, Boolean> expired;
    private final long windowMillis;
    private final long retentionMillis;
    private final long staleAfterMillis;
    /**
     * Redis calls failed in a row. A ticket's call that times out falls back alone (a pause of the JVM or of Redis
     * can make one late); from the third in a row, or one failed tick (its timeout is generous), the room is off and
     * Redis is not asked on the request path until a tick gets through again.
     */
    private final AtomicInteger redisFailures = new AtomicInteger();
    private volatile boolean needsAdvances = true;
    private final AtomicReference<Scheduled> schedule =
            new AtomicReference<>(new Scheduled(Long.MIN_VALUE, Mono.empty()));

    WaitingRoom(WaitingRoomProperties properties, TicketSigner signer, RedisWaitingRoomStore store,
                PriorityLimiter limiter, Clock clock, Scheduler scheduler, MeterRegistry registry) {
        this.properties = properties;
        this.signer = signer;
        this.store = store;
        this.limiter = limiter;
        this.clock = clock;
        this.scheduler = scheduler;
        this.windowMillis = properties.getAdmissionWindow().toMillis();
        this.retentionMillis = properties.historyRetention().toMillis();
        // Ten ticks missed: the instance has lost sight of the queue and must not act on what it last saw.
        this.staleAfterMillis = Math.max(2_000, 10 * properties.getAdvanceInterval().toMillis());
        Duration remembered = properties.getTicketTtl().plus(properties.getAdmissionWindow());
        this.used = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(remembered).build();
        this.expired = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(remembered).build();
        this.metrics = new WaitingRoomMetrics(registry, state::get, () -> state.get().history()
                .ratePerSecond(clock.millis(), properties.getRateWindow().toMillis()));
    }

    /** The class an admitted ticket is let in as: at least the top customer class, never into the agents' reserve. */
    static Priority holderPriority(Priority priority) {
        return priority.ordinal() > Priority.ACTION.ordinal() ? Priority.ACTION : priority;
    }

    /** Whether the caller could hold a place: a customer (anonymous callers, agents and services never do). */
    boolean serves(Caller caller) {
        return properties.isEnabled() && caller.kind() == Caller.Kind.CUSTOMER && caller.id() != null;
    }

    private boolean redisAnswering() {
        return redisFailures.get() < MAX_REDIS_FAILURES;
    }

    private boolean sees(QueueState current) {
        return redisAnswering() && current.known() && clock.millis() - current.observedAt() <= staleAfterMillis;
    }

    /** Whether a new arrival of this class must take a ticket rather than overtake customers already waiting. */
    boolean queues(Priority priority) {
        QueueState current = state.get();
        return sees(current) && current.queues(priority);
    }

    /**
     * The caller's own ticket from a request header, if it is good now (waiting or admitted); null for anything else
     * (garbled, forged, someone else's, expired), which is then simply not a ticket: it gains nothing.
     */
    @Nullable Presented presented(String value, Caller caller) {
        QueueState current = state.get();
        if (!sees(current)) {
            return null;
        }
        Ticket ticket;
        try {
            ticket = signer.verify(value);
        } catch (SurgeException e) {
            return null;
        }
        if (!ticket.customerId().equals(caller.id())) {
            return null;
        }
        return switch (current.standing(ticket, clock.millis(), windowMillis)) {
            case WAITING -> new Presented(ticket, false);
            case ADMITTED -> new Presented(ticket, true);
            case EXPIRED -> {
                countExpired(ticket);
                yield null;
            }
        };
    }

    /** An admitted ticket was let in: its wait is measured the first time this instance sees it come back. */
    void used(Ticket ticket) {
        if (used.asMap().putIfAbsent(ticket.seq(), Boolean.TRUE) == null) {
            OptionalLong admittedAt = state.get().history().admittedAt(ticket.seq());
            long waited = admittedAt.isPresent() ? admittedAt.getAsLong() - ticket.issuedAt() : 0;
            metrics.used(Duration.ofMillis(Math.max(0, waited)));
        }
    }

    /**
     * Whether the queue, as last seen, holds {@code max-depth} places: then new arrivals are not asked to join it
     * (they try the limiter like any request) and shed customers get no place.
     */
    boolean full() {
        return state.get().depth() >= properties.getMaxDepth();
    }

    /**
     * A place for the customer: theirs if they already wait, else the next one in the global order. Empty, with the
     * fallback counted, when Redis fails, is slow, or is known to be away (then without asking it at all), and,
     * counted as refused, while the queue is full.
     */
    Mono<Place> issue(Caller caller, Priority priority) {
        String customer = caller.id();
        if (!serves(caller) || customer == null || !TicketSigner.fits(customer)) {
            return Mono.empty();
        }
        if (!redisAnswering()) {
            metrics.issueFallback();
            return Mono.empty();
        }
        if (full()) {
            metrics.refused();
            return Mono.empty();
        }
        long now = clock.millis();
        return store.issue(customer, priority, now, properties.getTicketTtl(), properties.getRedisTimeout())
                // Off Lettuce's one I/O thread before rendering the 503: under overload every shed arrival lands
                // here, and rendering them all on that thread held up every other reply until tickets' 50 ms
                // timeouts fired (a cold 20 s wrk run at 512 connections: 132,603 fallbacks, 14,314 with this
                // hand-over; 817 with Lettuce's publishOnScheduler for every reply, which cost escalation creates
                // 30 %, so only here).
                .publishOn(scheduler)
                .map(issued -> {
                    QueueState after = state.updateAndGet(s -> s.with(issued.ticket().epoch(), issued.issued(),
                            issued.admitted(), issued.lastIssued(), now, retentionMillis));
                    redisFailures.set(0);
                    if (issued.fresh()) {
                        metrics.issued();
                    }
                    return place(after, issued.ticket(), now);
                })
                .onErrorResume(e -> {
                    redisFailures.incrementAndGet();
                    metrics.issueFallback();
                    log.debug("waiting-room ticket not issued: {}", e.toString());
                    return Mono.empty();
                });
    }

    /** What the holder of this ticket is told now. */
    Place place(Ticket ticket) {
        return place(state.get(), ticket, clock.millis());
    }

    private Place place(QueueState current, Ticket ticket, long now) {
        long position = Math.max(0, current.position(ticket));
        long estimate = estimate(current, position, now);
        return new Place(signer.sign(ticket), position, estimate, refreshSeconds(current, position, estimate, now));
    }

    private long estimate(QueueState current, long position, long now) {
        return current.history().estimatedWaitSeconds(position, now, properties.getRateWindow().toMillis());
    }

    /**
     * When a waiting customer should ask again: half the estimated wait, at least {@code refresh-interval}, at most
     * {@code max-refresh-interval}; while no admission is measured (a new queue, or one that does not move) the
     * estimate is only a guess, so a second per place ahead within the same bounds. Each poll is a full request,
     * and customers keep arriving while the queue is long: at a fixed 1 s a queue of 100,000 would poll 100,000
     * times a second, more than the gateway serves. Halving keeps a customer's
     * polls to about log2 of their wait, and as the wait shrinks so does the refresh, so they learn of admission
     * soon; the cap, under half the admission window, means even a wrong estimate cannot make them miss it.
     */
    private long refreshSeconds(QueueState current, long position, long estimatedWaitSeconds, long now) {
        boolean measured = current.history().ratePerSecond(now, properties.getRateWindow().toMillis()) > 0;
        long wanted = measured ? estimatedWaitSeconds / 2 : position;
        return Math.max(properties.getRefreshInterval().toSeconds(),
                Math.min(properties.effectiveMaxRefreshInterval().toSeconds(), wanted));
    }

    /**
     * Where the customer's ticket stands: 400 if it is not a ticket Surge signed, 404 if it is another customer's or
     * no longer good (exactly like a missing one), 503 while the queue cannot be seen.
     */
    WaitingRoomStatus status(String value, String customerId) {
        WaitingRoomStatus status = status(state.get(), checked(value, customerId));
        if (status == null) {
            throw SurgeException.notFound("Waiting-room ticket");
        }
        return status;
    }

    /** The customer's own ticket, while the queue can be seen; the errors of {@link #status}. */
    private Ticket checked(String value, String customerId) {
        if (!properties.isEnabled()) {
            throw SurgeException.notFound("Waiting-room ticket");
        }
        Ticket ticket = signer.verify(value);
        if (!ticket.customerId().equals(customerId)) {
            throw SurgeException.notFound("Waiting-room ticket");
        }
        if (!sees(state.get())) {
            throw unavailable();
        }
        return ticket;
    }

    /** The status now, or null once the ticket is no longer good. */
    private @Nullable WaitingRoomStatus status(QueueState current, Ticket ticket) {
        long now = clock.millis();
        return switch (current.standing(ticket, now, windowMillis)) {
            case ADMITTED -> WaitingRoomStatus.ADMITTED;
            case EXPIRED -> {
                countExpired(ticket);
                yield null;
            }
            case WAITING -> {
                long position = current.position(ticket);
                long estimate = estimate(current, position, now);
                yield new WaitingRoomStatus(position, estimate, refreshSeconds(current, position, estimate, now),
                        false);
            }
        };
    }

    /**
     * The status now and on every change, repeated at least every refresh interval, ending after the admitted one
     * (or when the ticket stops being good). Checked before the stream starts, so a bad ticket is an ordinary 400 /
     * 404. While the queue cannot be seen the stream only repeats what it last said.
     */
    Flux<WaitingRoomStatus> events(String value, String customerId) {
        Ticket ticket = checked(value, customerId);
        if (status(state.get(), ticket) == null) { // the same answers as the JSON endpoint before anything streams
            throw SurgeException.notFound("Waiting-room ticket");
        }
        Duration refresh = properties.getRefreshInterval();
        // Listening starts before the first look, so no tick can fall between the two.
        return Flux.merge(ticks.asFlux(), Mono.fromSupplier(state::get))
                .<Object>handle((current, sink) -> {
                    if (sees(current)) {
                        WaitingRoomStatus status = status(current, ticket);
                        sink.next(status != null ? status : Boolean.FALSE);
                    }
                })
                .takeWhile(WaitingRoomStatus.class::isInstance)
                .cast(WaitingRoomStatus.class)
                .distinctUntilChanged()
                .switchMap(status -> status.admitted() ? Mono.just(status)
                        : Flux.interval(Duration.ZERO, refresh, scheduler).map(tick -> status))
                .takeUntil(WaitingRoomStatus::admitted);
    }

    /**
     * Runs {@link #tick()} when the app's clock says one is due (the schedule polls, the clock decides); otherwise,
     * or when another caller just started the due one, completes with the latest tick. So a test that moves the clock
     * and calls this knows that the tick for the new time is done, whoever ran it.
     */
    Mono<Void> tickIfDue() {
        return Mono.defer(() -> {
            long now = clock.millis();
            Scheduled current = schedule.get();
            if (now < current.nextAt()) {
                return current.tick();
            }
            Scheduled next = new Scheduled(now + properties.getAdvanceInterval().toMillis(),
                    Mono.defer(this::tick).cache());
            return schedule.compareAndSet(current, next) ? next.tick() : schedule.get().tick();
        });
    }

    /** The latest tick (run once, however many wait for it) and when the next one is due. */
    private record Scheduled(long nextAt, Mono<Void> tick) {
    }

    /**
     * One look at the queue: offers Redis the room this instance has free for each class (its share of the limit
     * less the peak in flight since the last tick, times how often a slot turned over in the interval) and takes
     * back the state, the pointer moved on by the free room of the highest class that has customers waiting. Never
     * fails; a failed look is counted and switches the waiting room off until one succeeds.
     */
    Mono<Void> tick() {
        long now = clock.millis();
        PriorityLimiter.Period period = limiter.takePeriod();
        // Free slots are concurrency, the pointer counts customers: a slot free for the whole interval serves as many
        // requests as it turns over in it. Counting one customer per free slot admitted a few dozen a second into a
        // server that had room for thousands, and the queue, which every new arrival must join, never drained.
        double turnover = period.turnover(properties.getAdvanceInterval());
        long[] free = new long[QueueState.QUEUED_CLASSES];
        for (int c = 0; c < free.length; c++) {
            int slots = Math.max(0, limiter.ceiling(Priority.values()[c]) - period.peakInflight());
            free[c] = (long) Math.floor(slots * turnover);
        }
        boolean withAdvances = needsAdvances;
        return store.tick(now, free, properties.historyRetention(), withAdvances, properties.getAdvanceInterval())
                .doOnNext(tick -> {
                    QueueState before = state.get();
                    QueueState after = state.updateAndGet(s -> s.with(tick.epoch(), tick.issued(), tick.admitted(),
                            tick.lastIssued(), now, retentionMillis));
                    if (withAdvances && after.epoch() == tick.epoch()) {
                        after = state.updateAndGet(s -> s.withHistory(
                                AdmissionHistory.seeded(tick.advances(), tick.admitted(), now)));
                        needsAdvances = false;
                    } else if (before.epoch() != after.epoch()) {
                        needsAdvances = true; // a new queue: learn its recent advances on the next tick
                    }
                    if (before.epoch() != after.epoch()) {
                        used.invalidateAll();
                        expired.invalidateAll();
                    }
                    metrics.admitted(tick.advanced());
                    redisFailures.set(0);
                    ticks.tryEmitNext(after);
                })
                .then()
                .onErrorResume(e -> {
                    redisFailures.set(MAX_REDIS_FAILURES);
                    metrics.tickFallback();
                    log.debug("waiting-room tick failed: {}", e.toString());
                    return Mono.empty();
                });
    }

    /** The state as last seen; for tests and metrics. */
    QueueState state() {
        return state.get();
    }

    private void countExpired(Ticket ticket) {
        if (expired.asMap().putIfAbsent(ticket.seq(), Boolean.TRUE) == null) {
            metrics.expired();
        }
    }

    private SurgeException unavailable() {
        HttpHeaders headers = SurgeException.retryAfter(properties.getRefreshInterval());
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, "waiting-room-unavailable",
                "Service Unavailable", "The waiting room cannot be read right now. Retry your request.");
        return new SurgeException(problem, headers, null);
    }
}
