package dev.surge.gateway.resilience;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * The state of every dependency's circuit breaker, as health details ({@code /actuator/health/resilience}). Always
 * UP: an open breaker is the gateway doing its job (answering from the cache or with 503 at once), not a sick
 * instance, and it is deliberately left out of readiness, where it would take every instance out of rotation at the
 * same moment and turn one failing dependency into a full outage. Alert on the {@code resilience4j.circuitbreaker.*}
 * metrics instead. Reads only in-memory counters, so it never blocks.
 */
final class CircuitBreakersHealthIndicator implements ReactiveHealthIndicator {

    private final CircuitBreakerRegistry breakers;

    CircuitBreakersHealthIndicator(CircuitBreakerRegistry breakers) {
        this.breakers = breakers;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(() -> {
            Health.Builder health = Health.up();
            breakers.getAllCircuitBreakers().stream()
                    .sorted(Comparator.comparing(CircuitBreaker::getName))
                    .forEach(breaker -> health.withDetail(breaker.getName(), details(breaker)));
            return health.build();
        });
    }

    /** Rates are -1 until the window holds the minimum number of calls. */
    private static Map<String, Object> details(CircuitBreaker breaker) {
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", breaker.getState().name());
        details.put("failureRate", metrics.getFailureRate());
        details.put("slowCallRate", metrics.getSlowCallRate());
        details.put("bufferedCalls", metrics.getNumberOfBufferedCalls());
        details.put("failedCalls", metrics.getNumberOfFailedCalls());
        details.put("slowCalls", metrics.getNumberOfSlowCalls());
        details.put("notPermittedCalls", metrics.getNumberOfNotPermittedCalls());
        return details;
    }
}
