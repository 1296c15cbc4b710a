package dev.surge.gateway.ratelimit;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code surge.ratelimit.requests{class,outcome}}, {@code surge.ratelimit.redis.fallbacks}, tracked keys. */
final class RateLimitMetrics {

    private final Map<RouteClass, Counter> allowed = new EnumMap<>(RouteClass.class);
    private final Map<RouteClass, Counter> limited = new EnumMap<>(RouteClass.class);
    private final Counter fallbacks;

    RateLimitMetrics(MeterRegistry registry, SlidingWindowLimiter limiter) {
        for (RouteClass routeClass : RouteClass.values()) {
            allowed.put(routeClass, counter(registry, routeClass, "allowed"));
            limited.put(routeClass, counter(registry, routeClass, "limited"));
        }
        fallbacks = Counter.builder("surge.ratelimit.redis.fallbacks")
                .description("Rate-limit syncs with Redis that failed; local limits applied alone meanwhile")
                .register(registry);
        Gauge.builder("surge.ratelimit.keys", limiter, SlidingWindowLimiter::trackedKeys)
                .description("Rate-limit keys (route class + caller) this instance tracks")
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, RouteClass routeClass, String outcome) {
        return Counter.builder("surge.ratelimit.requests")
                .description("Requests checked against rate limits")
                .tag("class", routeClass.key())
                .tag("outcome", outcome)
                .register(registry);
    }

    void decided(RouteClass routeClass, boolean wasAllowed) {
        (wasAllowed ? allowed : limited).get(routeClass).increment();
    }

    void redisFallback() {
        fallbacks.increment();
    }
}
