package dev.surge.gateway.backoffice;

import java.util.function.Function;

import reactor.core.publisher.Mono;

/**
 * What guards each back-office call: applied by the client around one attempt (which already has its timeout and
 * its errors mapped to {@link BackOfficeException}). Reads and writes are told apart because only idempotent reads
 * may be retried. The {@code resilience} package provides the real one (circuit breaker, bulkhead, retry per
 * dependency); without it calls go through unguarded.
 */
public interface BackOfficeResilience {

    /** Guards nothing: every call is made once, as it is. */
    BackOfficeResilience NONE = new BackOfficeResilience() {
        @Override
        public <T> Function<Mono<T>, Mono<T>> forRead(BackOfficeDependency dependency) {
            return Function.identity();
        }

        @Override
        public <T> Function<Mono<T>, Mono<T>> forWrite(BackOfficeDependency dependency) {
            return Function.identity();
        }
    };

    /** Guards an idempotent read, which may be retried. Apply with {@code Mono.transform}. */
    <T> Function<Mono<T>, Mono<T>> forRead(BackOfficeDependency dependency);

    /** Guards a call that changes something, which is never retried: a lost answer must not become two changes. */
    <T> Function<Mono<T>, Mono<T>> forWrite(BackOfficeDependency dependency);
}
