package dev.surge.gateway.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The health of what every instance shares (Redis, the cache's own Redis, the back office) as the gauge
 * {@code surge.health{component}}: 1 while UP, 0 otherwise. Readiness leaves them out on purpose (an outage of a
 * shared dependency must not take every instance out of rotation at once), so this is how dashboards and alerts see
 * them, besides the components of {@code /actuator/health}. Checked every {@value #INTERVAL_SECONDS} s off the
 * request path, each check bounded.
 */
final class DependencyHealthGauges implements SmartLifecycle {

    static final String METRIC = "surge.health";
    static final long INTERVAL_SECONDS = 15;
    /** Health components that are shared dependencies; those not present (no cache Redis of its own) are skipped. */
    static final List<String> COMPONENTS = List.of("redis", "cacheRedis", "backOffice");
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final ReactiveHealthContributorRegistry contributors;
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();
    private volatile @Nullable Disposable polling;

    DependencyHealthGauges(ReactiveHealthContributorRegistry contributors, MeterRegistry registry) {
        this.contributors = contributors;
        this.registry = registry;
    }

    @Override
    public void start() {
        Map<String, ReactiveHealthIndicator> indicators = new ConcurrentHashMap<>();
        for (String name : COMPONENTS) {
            ReactiveHealthContributor contributor = contributors.getContributor(name);
            if (contributor instanceof ReactiveHealthIndicator indicator) {
                indicators.put(name, indicator);
                AtomicInteger value = up.computeIfAbsent(name, n -> new AtomicInteger());
                Gauge.builder(METRIC, value, AtomicInteger::get).tag("component", name)
                        .description("1 while the shared dependency's health is UP, else 0").register(registry);
            }
        }
        polling = Flux.interval(Duration.ZERO, Duration.ofSeconds(INTERVAL_SECONDS))
                .onBackpressureDrop()
                .concatMap(tick -> Flux.fromIterable(indicators.entrySet())
                        .flatMap(entry -> entry.getValue().health()
                                .map(health -> Status.UP.equals(health.getStatus()) ? 1 : 0)
                                .timeout(CHECK_TIMEOUT)
                                .onErrorReturn(0)
                                .doOnNext(value -> up.get(entry.getKey()).set(value)))
                        .then(Mono.empty()))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = polling;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = polling;
        return running != null && !running.isDisposed();
    }
}
