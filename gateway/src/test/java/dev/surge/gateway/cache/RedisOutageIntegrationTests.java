package dev.surge.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.gateway.redis.EmbeddedRedis;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * Redis dies in the middle: cached answers keep coming from the near cache, new ones from the back office, and no
 * request waits on the dead Redis for more than the cache's Redis timeout. Every fallback is counted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "surge.cache.redis-timeout=100ms")
@DirtiesContext
class RedisOutageIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedRedis redis;

    @Autowired
    MeterRegistry registry;

    private WebClient http() {
        return WebClient.create("http://127.0.0.1:" + port);
    }

    private String token(String customer) {
        return http().post().uri("/demo/tokens").header("Content-Type", "application/json")
                .bodyValue("{\"customerId\":\"" + customer + "\"}").retrieve().bodyToMono(String.class)
                .map(body -> body.replaceAll(".*\"accessToken\":\"([^\"]+)\".*", "$1"))
                .block(Duration.ofSeconds(5));
    }

    /** Status and elapsed milliseconds of one read. */
    private long[] timedGet(String token, String path) {
        long started = System.nanoTime();
        int status = http().get().uri(path).headers(h -> h.setBearerAuth(token))
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
                .block(Duration.ofSeconds(10));
        return new long[] {status, (System.nanoTime() - started) / 1_000_000};
    }

    private double fallbacks() {
        return registry.find(CacheMetrics.REDIS_FALLBACKS).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void readsAreAnsweredWithoutWaitingOnADeadRedis() {
        String token = token("c777");
        assertThat(timedGet(token, "/api/v1/me")[0]).isEqualTo(200); // now in the near cache
        double fallbacksBefore = fallbacks();

        redis.stop();
        try {
            long[] cached = timedGet(token, "/api/v1/me");
            assertThat(cached[0]).isEqualTo(200);
            // Uncached reads go to Redis (fails fast or times out at 100 ms), then the back office.
            for (String path : new String[] {"/api/v1/me/account", "/api/v1/me/orders", "/api/v1/inventory/SKU-00777"}) {
                long[] read = timedGet(token, path);
                assertThat(read[0]).as(path).isEqualTo(200);
                // Generous bound for a shared CI machine; a request stuck on Redis would take Lettuce's seconds.
                assertThat(read[1]).as(path + " took %d ms", read[1]).isLessThan(1_500);
            }
            assertThat(fallbacks()).isGreaterThan(fallbacksBefore);
        } finally {
            redis.start();
        }
        // Redis back: reads still work (Lettuce reconnects by itself).
        Mono<Integer> after = http().get().uri("/api/v1/me/account").headers(h -> h.setBearerAuth(token))
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()));
        assertThat(after.block(Duration.ofSeconds(10))).isEqualTo(200);
    }
}
