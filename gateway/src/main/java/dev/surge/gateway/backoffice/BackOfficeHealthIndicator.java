package dev.surge.gateway.backoffice;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Health of the back office: every distinct base URL answers {@code GET /health} with 2xx within a second. A component
 * of {@code /actuator/health} and the {@code surge.health} gauge, never of readiness: the back office is shared by
 * every instance, and its outage is the moment the cache and the escalation spool must stay reachable.
 */
final class BackOfficeHealthIndicator implements ReactiveHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final WebClient client;
    private final List<URI> healthUrls;

    BackOfficeHealthIndicator(WebClient.Builder builder, BackOfficeProperties properties) {
        this.client = builder.clone().build();
        this.healthUrls = Arrays.stream(BackOfficeDependency.values()).map(properties::baseUrl).distinct()
                .map(base -> URI.create(base.toString().replaceAll("/+$", "") + "/health")).toList();
    }

    @Override
    public Mono<Health> health() {
        return Flux.fromIterable(healthUrls)
                .flatMap(url -> client.get().uri(url).retrieve().toBodilessEntity()
                        .timeout(TIMEOUT)
                        .map(entity -> true)
                        .onErrorReturn(false))
                .all(up -> up)
                .map(allUp -> (allUp ? Health.up() : Health.down()).withDetail("endpoints", healthUrls.size()).build());
    }
}
