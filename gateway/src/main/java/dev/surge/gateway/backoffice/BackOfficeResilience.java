package dev.surge.gateway.backoffice;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import reactor.core.publisher.Mono;

/**
 * What guards each back-office call: applied by the client around one attempt (whose errors are already mapped to
 * {@link BackOfficeException}), and the one place that limits the attempt's time, so that the limit is seen by
 * whatever else guards it (a timed-out attempt becomes {@link BackOfficeException#timeout}, a 504). Reads and writes
 * are told apart because only idempotent reads may be retried. The {@code resilience} package provides the real one
 * (time limiter, circuit breaker, bulkhead, retry per dependency); without it each attempt only has its time limit.
 */
public interface BackOfficeResilience {

    /** Only the time limit of each dependency: every call is made once. */
    static BackOfficeResilience timeLimitsOnly(Function<BackOfficeDependency, Duration> timeouts) {
        return new BackOfficeResilience() {
            @Override
            public <T> Function<Mono<T>, Mono<T>> forRead(BackOfficeDependency dependency) {
                return limited(dependency);
            }

            @Override
            public <T> Function<Mono<T>, Mono<T>> forWrite(BackOfficeDependency dependency) {
                return limited(dependency);
            }

            private <T> Function<Mono<T>, Mono<T>> limited(BackOfficeDependency dependency) {
                Duration timeout = timeouts.apply(dependency);
                return attempt -> attempt.timeout(timeout)
                        .onErrorMap(TimeoutException.class, e -> BackOfficeException.timeout(dependency, e));
            }
        };
    }

    /** Guards an idempotent read, which may be retried. Apply with {@code Mono.transform}. */
    <T> Function<Mono<T>, Mono<T>> forRead(BackOfficeDependency dependency);

    /** Guards a call that changes something, which is never retried: a lost answer must not become two changes. */
    <T> Function<Mono<T>, Mono<T>> forWrite(BackOfficeDependency dependency);
}
