package dev.surge.gateway.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.BackOfficeDependency;
import dev.surge.gateway.backoffice.BackOfficeException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.core.instrument.Counter;
import reactor.core.publisher.Mono;

/**
 * One dependency's time limiter, breaker, bulkhead and retry, composed around a call from outermost to innermost:
 * retry → circuit breaker → bulkhead → time limiter → the attempt. So every attempt has its own time limit, is
 * judged by the breaker (a timed-out attempt as a 504 failure) and holds a bulkhead permit only while it runs, never
 * while it backs off; a refusal (open breaker, full bulkhead) becomes a 503 {@link BackOfficeException} and is never
 * retried.
 */
final class DependencyGuard {

    private final BackOfficeDependency dependency;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final Retry retry;
    private final TimeLimiter timeLimiter;
    private final Duration waitInOpenState;
    private final Duration bulkheadRetryAfter;
    private final Clock clock;
    private final Counter bulkheadRejections;
    private volatile @Nullable Instant openedAt;

    DependencyGuard(BackOfficeDependency dependency, CircuitBreaker breaker, Bulkhead bulkhead, Retry retry,
                    TimeLimiter timeLimiter, Duration waitInOpenState, Duration bulkheadRetryAfter, Clock clock,
                    Counter bulkheadRejections) {
        this.dependency = dependency;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
        this.retry = retry;
        this.timeLimiter = timeLimiter;
        this.waitInOpenState = waitInOpenState;
        this.bulkheadRetryAfter = bulkheadRetryAfter;
        this.clock = clock;
        this.bulkheadRejections = bulkheadRejections;
        // The breaker does not say when it opened; remember it (on the same clock) for Retry-After.
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt = clock.instant();
            }
        });
    }

    /** An idempotent read: retried after a dependency failure. */
    <T> Mono<T> read(Mono<T> attempt) {
        // transformDeferred: each subscription gets its own retry context (and its own breaker/bulkhead permit).
        return guarded(attempt).transformDeferred(RetryOperator.of(retry));
    }

    /** A call that changes something: guarded, never retried. */
    <T> Mono<T> write(Mono<T> attempt) {
        return guarded(attempt);
    }

    private <T> Mono<T> guarded(Mono<T> attempt) {
        return attempt
                .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .onErrorMap(TimeoutException.class, e -> BackOfficeException.timeout(dependency, e))
                .transformDeferred(BulkheadOperator.of(bulkhead))
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorMap(DependencyGuard::isRefusal, this::refusal);
    }

    private static boolean isRefusal(Throwable e) {
        return e instanceof CallNotPermittedException || e instanceof BulkheadFullException;
    }

    /** The one place where a refused call becomes what the customer sees. */
    private BackOfficeException refusal(Throwable e) {
        if (e instanceof CallNotPermittedException) {
            return BackOfficeException.circuitOpen(dependency, remainingOpen()); // counted by the breaker's metrics
        }
        bulkheadRejections.increment(); // Resilience4j's bulkhead metrics count no rejections
        return BackOfficeException.overloaded(dependency, bulkheadRetryAfter);
    }

    /** What is left of the open breaker's wait; zero when it is not open (half-open with every probe out). */
    Duration remainingOpen() {
        Instant opened = openedAt;
        if (opened == null || breaker.getState() != CircuitBreaker.State.OPEN) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), opened.plus(waitInOpenState));
        return left.isNegative() ? Duration.ZERO : left;
    }

    CircuitBreaker breaker() {
        return breaker;
    }
}
