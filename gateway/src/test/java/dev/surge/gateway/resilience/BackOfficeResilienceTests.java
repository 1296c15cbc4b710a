package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.surge.gateway.MutableClock;
import dev.surge.gateway.backoffice.BackOfficeDependency;
import dev.surge.gateway.backoffice.BackOfficeException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The guards around one back-office call, without a server: attempts are Monos that count their subscriptions. */
class BackOfficeResilienceTests {

    private static final BackOfficeDependency ORDERS = BackOfficeDependency.ORDERS;
    private static final Duration VERIFY = Duration.ofSeconds(5);
    /** Each attempt's time limit, as {@code surge.backoffice.timeout} gives it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    private final ResilienceProperties properties = new ResilienceProperties();
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    private final AtomicInteger attempts = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private Resilience4jBackOfficeResilience resilience() {
        return new Resilience4jBackOfficeResilience(properties, breakers, bulkheads, RetryRegistry.ofDefaults(),
                TimeLimiterRegistry.ofDefaults(), dependency -> TIMEOUT, clock, meters);
    }

    /** An attempt that counts itself and fails with the given errors in turn, then answers "ok". */
    private Mono<String> attempt(BackOfficeException... failures) {
        return Mono.defer(() -> {
            int n = attempts.incrementAndGet();
            return n <= failures.length ? Mono.error(failures[n - 1]) : Mono.just("ok");
        });
    }

    private static BackOfficeException unavailable() {
        return BackOfficeException.unavailable(ORDERS, new IllegalStateException("back office answered 503"));
    }

    private static BackOfficeException timeout() {
        return BackOfficeException.timeout(ORDERS, new TimeoutException());
    }

    private static Consumer<Throwable> kind(BackOfficeException.Kind kind, @Nullable String retryAfter) {
        return e -> {
            assertThat(e).isInstanceOf(BackOfficeException.class);
            assertThat(((BackOfficeException) e).kind()).isEqualTo(kind);
            assertThat(((BackOfficeException) e).getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(retryAfter);
        };
    }

    private void failingReads(Resilience4jBackOfficeResilience resilience, int reads) {
        for (int i = 0; i < reads; i++) {
            StepVerifier.create(attempt(unavailable()).transform(resilience.forRead(ORDERS)))
                    .expectErrorSatisfies(kind(BackOfficeException.Kind.UNAVAILABLE, null))
                    .verify(VERIFY);
            attempts.set(0);
        }
    }

    @Test
    void aFailedReadIsRetriedWithExponentialBackoffAndJitter() {
        Set<Long> firstWaits = new HashSet<>();
        for (int run = 0; run < 20; run++) {
            attempts.set(0);
            List<Long> startedAt = new ArrayList<>();
            VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
            Resilience4jBackOfficeResilience resilience = new Resilience4jBackOfficeResilience(properties,
                    CircuitBreakerRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(), RetryRegistry.ofDefaults(),
                    TimeLimiterRegistry.ofDefaults(), dependency -> TIMEOUT, clock, new SimpleMeterRegistry());
            Mono<String> read = attempt(timeout(), unavailable())
                    .doOnSubscribe(s -> startedAt.add(time.now(TimeUnit.MILLISECONDS)))
                    .transform(resilience.forRead(ORDERS));

            StepVerifier.withVirtualTime(() -> read)
                    .thenAwait(Duration.ofSeconds(1))
                    .expectNext("ok")
                    .expectComplete()
                    .verify(VERIFY);

            assertThat(attempts).hasValue(3);
            long firstWait = startedAt.get(1) - startedAt.get(0);
            long secondWait = startedAt.get(2) - startedAt.get(1);
            // 50 ms then 100 ms, each moved up to half of itself either way.
            assertThat(firstWait).isBetween(25L, 75L);
            assertThat(secondWait).isBetween(50L, 150L);
            firstWaits.add(firstWait);
        }
        assertThat(firstWaits).as("jitter spreads the waits").hasSizeGreaterThan(1);
    }

    @Test
    void retriesStopAfterMaxAttemptsWithTheLastFailure() {
        Mono<String> read = attempt(unavailable(), unavailable(), unavailable(), unavailable())
                .transform(resilience().forRead(ORDERS));
        StepVerifier.withVirtualTime(() -> read)
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(kind(BackOfficeException.Kind.UNAVAILABLE, null))
                .verify(VERIFY);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void eachAttemptHasTheDependencysTimeLimitAndAReadThatKeepsTimingOutIsA504() {
        Resilience4jBackOfficeResilience resilience = resilience();
        StepVerifier.withVirtualTime(() -> Mono.defer(() -> {
                    attempts.incrementAndGet();
                    return Mono.<String>never(); // a back office that never answers
                }).transform(resilience.forRead(ORDERS)))
                .thenAwait(TIMEOUT.minusMillis(1))
                .then(() -> assertThat(attempts).hasValue(1))
                .thenAwait(Duration.ofSeconds(10))
                .expectErrorSatisfies(kind(BackOfficeException.Kind.TIMEOUT, null))
                .verify(VERIFY);
        assertThat(attempts).hasValue(3);
        // each timed-out attempt is a failure to the breaker, like a 502
        assertThat(breakers.circuitBreaker("orders").getMetrics().getNumberOfFailedCalls()).isEqualTo(3);
    }

    @Test
    void notFoundIsNeitherRetriedNorCountedAsAFailure() {
        Resilience4jBackOfficeResilience resilience = resilience();
        for (int i = 0; i < 30; i++) {
            StepVerifier.create(attempt(BackOfficeException.notFound(ORDERS)).transform(resilience.forRead(ORDERS)))
                    .expectErrorSatisfies(kind(BackOfficeException.Kind.NOT_FOUND, null))
                    .verify(VERIFY);
            assertThat(attempts).hasValue(1);
            attempts.set(0);
        }
        CircuitBreaker breaker = breakers.circuitBreaker("orders");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(30);
    }

    @Test
    void writesAreNeverRetried() {
        StepVerifier.create(attempt(unavailable()).transform(resilience().forWrite(ORDERS)))
                .expectErrorSatisfies(kind(BackOfficeException.Kind.UNAVAILABLE, null))
                .verify(VERIFY);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void theBreakerOpensAfterTheMinimumCallsRefusesWithRetryAfterAndClosesAfterProbesOnTheClock() {
        properties.getCircuitBreaker().setSlidingWindowSize(4);
        properties.getCircuitBreaker().setMinimumNumberOfCalls(4);
        properties.getCircuitBreaker().setPermittedCallsInHalfOpenState(2);
        properties.getRetry().setMaxAttempts(1);
        Resilience4jBackOfficeResilience resilience = resilience();
        CircuitBreaker breaker = breakers.circuitBreaker("orders");

        failingReads(resilience, 3);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        failingReads(resilience, 1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        StepVerifier.create(attempt().transform(resilience.forRead(ORDERS)))
                .expectErrorSatisfies(kind(BackOfficeException.Kind.CIRCUIT_OPEN, "30"))
                .verify(VERIFY);
        assertThat(attempts).as("an open breaker makes no call").hasValue(0);

        clock.advance(Duration.ofMillis(10_500));
        StepVerifier.create(attempt().transform(resilience.forRead(ORDERS)))
                .expectErrorSatisfies(kind(BackOfficeException.Kind.CIRCUIT_OPEN, "20"))
                .verify(VERIFY);

        clock.advance(Duration.ofSeconds(20)); // past the 30 s wait: the next calls are probes
        for (int probe = 1; probe <= 2; probe++) {
            StepVerifier.create(attempt().transform(resilience.forRead(ORDERS))).expectNext("ok").verifyComplete();
            assertThat(attempts).hasValue(probe);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void refusedCallsAreNotRetried() {
        Resilience4jBackOfficeResilience resilience = resilience();
        breakers.circuitBreaker("orders").transitionToOpenState();
        StepVerifier.create(attempt().transform(resilience.forRead(ORDERS)))
                .expectErrorSatisfies(kind(BackOfficeException.Kind.CIRCUIT_OPEN, "30"))
                .verify(VERIFY); // no virtual time: a retry would wait on the real clock and fail verify's bound
        assertThat(attempts).hasValue(0);
        assertThat(breakers.circuitBreaker("orders").getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(1);
    }

    @Test
    void aFullBulkheadRefusesAtOnceWithoutTouchingTheBreakerAndACancelFreesThePermit() {
        ResilienceProperties.Dependency shipping = new ResilienceProperties.Dependency();
        shipping.setMaxConcurrentCalls(1);
        properties.getDependencies().put(BackOfficeDependency.SHIPPING, shipping);
        Resilience4jBackOfficeResilience resilience = resilience();
        AtomicInteger cancelled = new AtomicInteger();

        Disposable slow = Mono.<String>never().doOnCancel(cancelled::incrementAndGet)
                .transform(resilience.forRead(BackOfficeDependency.SHIPPING)).subscribe();
        StepVerifier.create(attempt().transform(resilience.forRead(BackOfficeDependency.SHIPPING)))
                .expectErrorSatisfies(kind(BackOfficeException.Kind.OVERLOADED, "1"))
                .verify(VERIFY);
        assertThat(attempts).hasValue(0);
        assertThat(meters.counter(Resilience4jBackOfficeResilience.BULKHEAD_REJECTED, "name", "shipping").count())
                .isEqualTo(1.0);
        // Not the dependency's failure: the breaker counts nothing, and another dependency is not limited.
        assertThat(breakers.circuitBreaker("shipping").getMetrics().getNumberOfBufferedCalls()).isZero();
        StepVerifier.create(attempt().transform(resilience.forRead(BackOfficeDependency.ACCOUNTS)))
                .expectNext("ok").verifyComplete();

        slow.dispose();
        assertThat(cancelled).hasValue(1);
        assertThat(bulkheads.bulkhead("shipping").getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
        StepVerifier.create(attempt().transform(resilience.forRead(BackOfficeDependency.SHIPPING)))
                .expectNext("ok").verifyComplete();
    }

    @Test
    void aCancelledProbeGivesItsHalfOpenPermitBack() {
        properties.getCircuitBreaker().setPermittedCallsInHalfOpenState(1);
        Resilience4jBackOfficeResilience resilience = resilience();
        breakers.circuitBreaker("orders").transitionToOpenState();
        clock.advance(Duration.ofSeconds(31));

        Disposable probe = Mono.<String>never().transform(resilience.forRead(ORDERS)).subscribe();
        assertThat(breakers.circuitBreaker("orders").getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        // The one probe is out: others are refused, with the shortest Retry-After.
        StepVerifier.create(attempt().transform(resilience.forRead(ORDERS)))
                .expectErrorSatisfies(kind(BackOfficeException.Kind.CIRCUIT_OPEN, "1"))
                .verify(VERIFY);

        probe.dispose();
        StepVerifier.create(attempt().transform(resilience.forRead(ORDERS))).expectNext("ok").verifyComplete();
        assertThat(breakers.circuitBreaker("orders").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
