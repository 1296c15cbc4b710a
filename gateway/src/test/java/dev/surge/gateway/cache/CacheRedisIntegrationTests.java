package dev.surge.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.redis.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The cache on a Redis of its own (small, {@code allkeys-lru}), the queue on the state Redis: filling the cache past
 * its memory limit evicts cache entries only, and an escalation queued before is still there and claimable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class CacheRedisIntegrationTests {

    private static final long CACHE_MAX_MEMORY = 4L * 1024 * 1024;
    private static final EmbeddedRedis CACHE_REDIS = startCacheRedis();

    private static EmbeddedRedis startCacheRedis() {
        EmbeddedRedis redis = new EmbeddedRedis(0, CACHE_MAX_MEMORY, "allkeys-lru");
        redis.start();
        return redis;
    }

    @DynamicPropertySource
    static void cacheRedis(DynamicPropertyRegistry registry) {
        registry.add("surge.cache.redis.url", () -> "redis://127.0.0.1:" + CACHE_REDIS.port());
    }

    @AfterAll
    static void stopCacheRedis() {
        CACHE_REDIS.stop();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    ReactiveStringRedisTemplate state;

    @Autowired
    EmbeddedRedis stateRedis;

    @Autowired
    TwoTierResponseCache cache;

    private static long stat(RedisCommands<String, String> redis, String section, String name) {
        return Arrays.stream(redis.info(section).split("\r\n")).filter(line -> line.startsWith(name + ":"))
                .mapToLong(line -> Long.parseLong(line.substring(name.length() + 1).trim())).findFirst().orElse(-1);
    }

    @Test
    void fillingTheCacheRedisPastItsLimitNeverCostsAQueuedEscalation() {
        EscalationClient escalations = new EscalationClient(client, state);
        escalations.clear();
        String token = TestTokens.customer(client, "c4201");
        String agent = TestTokens.agent(client, "a-cache", List.of("orders"));
        String id = escalations.create(token, EscalationClient.web("delivery"));

        RedisClient redisClient = RedisClient.create("redis://127.0.0.1:" + CACHE_REDIS.port());
        RedisClient stateClient = RedisClient.create("redis://127.0.0.1:" + stateRedis.port());
        try (StatefulRedisConnection<String, String> cacheConnection = redisClient.connect();
             StatefulRedisConnection<String, String> stateConnection = stateClient.connect()) {
            RedisCommands<String, String> cacheRedis = cacheConnection.sync();
            RedisCommands<String, String> stateRedisCommands = stateConnection.sync();

            // A real read lands in the cache's Redis, not the state Redis; the eviction channel lives there too.
            client.get().uri("/api/v1/inventory/SKU-00042").exchange().expectStatus().isOk();
            awaitTrue(() -> !cacheRedis.keys(CacheKey.PREFIX + "*").isEmpty(), "the read's entry in the cache Redis");
            assertThat(stateRedisCommands.keys(CacheKey.PREFIX + "*")).isEmpty();
            assertThat(cacheRedis.pubsubNumsub(RedisCacheStore.EVICTION_CHANNEL))
                    .containsEntry(RedisCacheStore.EVICTION_CHANNEL, 1L);
            assertThat(stateRedisCommands.pubsubNumsub(RedisCacheStore.EVICTION_CHANNEL))
                    .containsEntry(RedisCacheStore.EVICTION_CHANNEL, 0L);

            // Write 400 entries of 32 KB (12.5 MB) through the cache into a Redis of 4 MB.
            byte[] body = new byte[32 * 1024];
            Arrays.fill(body, (byte) 'x');
            for (int i = 0; i < 400; i++) {
                cache.get(CacheKey.shared(CachedResource.STOCK, "fill-" + i), () -> Mono.just(body))
                        .block(Duration.ofSeconds(5));
            }
            awaitTrue(() -> stat(cacheRedis, "stats", "evicted_keys") > 0, "evictions in the cache Redis");
            assertThat(cacheRedis.dbsize()).as("entries the cache Redis kept").isLessThan(400);
            assertThat(stat(cacheRedis, "memory", "used_memory")).isLessThan(2 * CACHE_MAX_MEMORY);
            assertThat(stat(stateRedisCommands, "stats", "evicted_keys")).as("evictions in the state Redis").isZero();
        } finally {
            redisClient.shutdown();
            stateClient.shutdown();
        }

        assertThat(escalations.get(token, id)).containsEntry("status", "queued").containsEntry("position", 1);
        Map<String, Object> offered = escalations.claim(agent);
        assertThat(offered).containsEntry("id", id);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s for " + what).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // polling a real condition, bounded
        }
    }
}
