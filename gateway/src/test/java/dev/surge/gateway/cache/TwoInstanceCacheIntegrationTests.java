package dev.surge.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.SurgeApplication;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.demo.BackOfficeSimulator;
import dev.surge.gateway.redis.EmbeddedRedis;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two gateway instances sharing one Redis and one back office, as behind a load balancer: what one loads the other
 * finds in Redis, and an eviction in one reaches the other's near cache.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class TwoInstanceCacheIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ConfigurableApplicationContext second;

    @Autowired
    WebTestClient client;

    @Autowired
    ResponseCache cache;

    @LocalServerPort
    int port;

    @BeforeAll
    static void noSecondYet() {
        second = null;
    }

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    private ConfigurableApplicationContext secondInstance(EmbeddedRedis redis, BackOfficeSimulator simulator) {
        if (second == null) {
            second = new SpringApplicationBuilder(SurgeApplication.class).run(
                    "--server.port=0",
                    "--spring.data.redis.host=127.0.0.1",
                    "--spring.data.redis.port=" + redis.port(),
                    "--surge.backoffice.base-url=" + simulator.baseUrl());
        }
        return second;
    }

    private static Mono<String> cacheStatus(WebClient http, String token, String orderId) {
        return http.get().uri("/api/v1/me/orders/{id}", orderId).headers(h -> h.setBearerAuth(token))
                .exchangeToMono(r -> r.releaseBody()
                        .thenReturn(String.valueOf(r.headers().asHttpHeaders().getFirst("Cache-Status"))));
    }

    private long orderCalls() {
        Map<?, ?> stats = client.get().uri("/demo/backoffice/stats").exchange().expectBody(Map.class)
                .returnResult().getResponseBody();
        return ((Number) ((Map<?, ?>) stats.get("calls")).get("order")).longValue();
    }

    @Test
    void aMissFilledByOneIsARedisHitForTheOtherAndEvictionsReachBoth(
            @Autowired EmbeddedRedis redis, @Autowired BackOfficeSimulator simulator) {
        ConfigurableApplicationContext b = secondInstance(redis, simulator);
        WebClient first = WebClient.create("http://127.0.0.1:" + port);
        WebClient other = WebClient.create("http://127.0.0.1:"
                + b.getEnvironment().getProperty("local.server.port"));

        String token = TestTokens.customer(client, "c31337");
        byte[] list = client.get().uri("/api/v1/me/orders?limit=1").headers(h -> h.setBearerAuth(token)).exchange()
                .expectBody().returnResult().getResponseBody();
        String orderId = JSON.readTree(list).get("orders").get(0).get("id").asString();
        long before = orderCalls();

        assertThat(cacheStatus(first, token, orderId).block(Duration.ofSeconds(5))).isEqualTo("surge; fwd=miss; stored");
        // The second instance has never seen this key, and the back office is not asked again.
        assertThat(cacheStatus(other, token, orderId).block(Duration.ofSeconds(5))).isEqualTo("surge; hit");
        assertThat(orderCalls() - before).isEqualTo(1);
        assertThat(cacheStatus(other, token, orderId).block(Duration.ofSeconds(5))).isEqualTo("surge; hit");

        // Evict through the first instance: the second's near cache must drop it too (pub/sub is asynchronous,
        // so wait, bounded, for its next read to go to the back office).
        cache.evict(CacheKey.personal(CachedResource.ORDER, "c31337", orderId)).block(Duration.ofSeconds(5));
        String afterEviction = Flux.interval(Duration.ofMillis(20)).onBackpressureDrop().take(250)
                .concatMap(tick -> cacheStatus(other, token, orderId))
                .filter(status -> status.contains("miss"))
                .blockFirst(Duration.ofSeconds(10));
        assertThat(afterEviction).isEqualTo("surge; fwd=miss; stored");
        assertThat(b.getBean(MeterRegistry.class).counter(CacheMetrics.EVICTIONS, "origin", "remote").count())
                .isPositive();
    }
}
