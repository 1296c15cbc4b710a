package dev.surge.gateway.resilience;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

import dev.surge.gateway.backoffice.BackOfficeDependency;
import dev.surge.gateway.backoffice.BackOfficeResilience;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * {@link BackOfficeResilience} with Resilience4j's Reactor operators: per dependency, a time limiter (the dependency's
 * {@code surge.backoffice} timeout, per attempt), a circuit breaker, a bulkhead and (for reads) a retry, each created
 * once in the given registries, which metrics and health read.
 */
final class Resilience4jBackOfficeResilience implements BackOfficeResilience {

    /** Calls refused because the dependency's bulkhead was full, tagged {@code name} like Resilience4j's own. */
    static final String BULKHEAD_REJECTED = "surge.resilience.bulkhead.rejected";

    private final Map<BackOfficeDependency, DependencyGuard> guards = new EnumMap<>(BackOfficeDependency.class);

    Resilience4jBackOfficeResilience(ResilienceProperties properties, CircuitBreakerRegistry breakers,
                                     BulkheadRegistry bulkheads, RetryRegistry retries,
                                     TimeLimiterRegistry timeLimiters,
                                     Function<BackOfficeDependency, Duration> timeouts, Clock clock,
                                     MeterRegistry meters) {
        for (BackOfficeDependency dependency : BackOfficeDependency.values()) {
            String name = GuardConfigs.name(dependency);
            guards.put(dependency, new DependencyGuard(dependency,
                    breakers.circuitBreaker(name, GuardConfigs.circuitBreaker(properties, dependency, clock)),
                    bulkheads.bulkhead(name, GuardConfigs.bulkhead(properties, dependency)),
                    retries.retry(name, GuardConfigs.retry(properties, dependency)),
                    timeLimiters.timeLimiter(name, GuardConfigs.timeLimiter(timeouts.apply(dependency))),
                    properties.waitInOpenState(dependency), properties.getBulkhead().getRetryAfter(), clock,
                    meters.counter(BULKHEAD_REJECTED, "name", name)));
        }
    }

    @Override
    public <T> Function<Mono<T>, Mono<T>> forRead(BackOfficeDependency dependency) {
        DependencyGuard guard = guards.get(dependency);
        return guard::read;
    }

    @Override
    public <T> Function<Mono<T>, Mono<T>> forWrite(BackOfficeDependency dependency) {
        DependencyGuard guard = guards.get(dependency);
        return guard::write;
    }

    DependencyGuard guard(BackOfficeDependency dependency) {
        return guards.get(dependency);
    }
}
