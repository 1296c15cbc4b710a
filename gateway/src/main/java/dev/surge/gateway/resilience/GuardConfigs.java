package dev.surge.gateway.resilience;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import dev.surge.gateway.backoffice.BackOfficeDependency;
import dev.surge.gateway.backoffice.BackOfficeException;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

/**
 * Turns {@link ResilienceProperties} into one dependency's Resilience4j settings, and decides which outcomes are
 * the dependency's failures.
 */
final class GuardConfigs {

    private GuardConfigs() {
    }

    /** The name of a dependency's breaker, bulkhead, retry and time limiter: the {@code name} tag of their metrics. */
    static String name(BackOfficeDependency dependency) {
        return dependency.name().toLowerCase(Locale.ROOT);
    }

    /**
     * A failure of the dependency itself, which may pass: 502 or 504. It counts against the breaker and may be
     * retried. A 404 is a healthy answer (the breaker counts it as a success); refusals (open breaker, full
     * bulkhead) and anything unexpected are not the dependency's doing and count for nothing.
     */
    static boolean isDependencyFailure(Throwable e) {
        return e instanceof BackOfficeException b
                && (b.kind() == BackOfficeException.Kind.UNAVAILABLE || b.kind() == BackOfficeException.Kind.TIMEOUT);
    }

    static CircuitBreakerConfig circuitBreaker(ResilienceProperties properties, BackOfficeDependency dependency,
                                               Clock clock) {
        ResilienceProperties.CircuitBreaker breaker = properties.getCircuitBreaker();
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.getSlidingWindowSize())
                .minimumNumberOfCalls(breaker.getMinimumNumberOfCalls())
                .failureRateThreshold(breaker.getFailureRateThreshold())
                .slowCallRateThreshold(breaker.getSlowCallRateThreshold())
                .slowCallDurationThreshold(properties.slowCallDuration(dependency))
                .waitDurationInOpenState(properties.waitInOpenState(dependency))
                .permittedNumberOfCallsInHalfOpenState(breaker.getPermittedCallsInHalfOpenState())
                // No scheduler thread: the first call after the wait (read on this clock, the app's Clock bean)
                // moves the breaker to half-open, so tests drive the wait with a clock instead of sleeping.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(clock)
                // Checked first: whatever is not a back-office answer (a full bulkhead, a bug) is left out.
                .ignoreException(e -> !(e instanceof BackOfficeException))
                // Then: 502/504 are failures, any other answer (404 included) a success.
                .recordException(GuardConfigs::isDependencyFailure)
                .writableStackTraceEnabled(false) // refusals are expected outcomes
                .build();
    }

    static BulkheadConfig bulkhead(ResilienceProperties properties, BackOfficeDependency dependency) {
        return BulkheadConfig.custom()
                .maxConcurrentCalls(properties.maxConcurrentCalls(dependency))
                // Never wait for a permit: the caller is an event loop, and a wait would block it.
                .maxWaitDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build();
    }

    /** Exponential backoff with jitter, only after a dependency failure. */
    static RetryConfig retry(ResilienceProperties properties, BackOfficeDependency dependency) {
        ResilienceProperties.Retry retry = properties.getRetry();
        return RetryConfig.custom()
                .maxAttempts(properties.maxAttempts(dependency))
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(retry.getInitialBackoff(),
                        retry.getMultiplier(), retry.getJitter()))
                .retryOnException(GuardConfigs::isDependencyFailure)
                .build();
    }

    /** Each attempt's time limit: the dependency's {@code surge.backoffice} timeout. */
    static TimeLimiterConfig timeLimiter(Duration timeout) {
        return TimeLimiterConfig.custom().timeoutDuration(timeout).build();
    }
}
