package dev.surge.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import reactor.core.publisher.Mono;

/**
 * The shared tier in Redis. <b>Fail-open</b>: Redis only saves work, so every operation has a short timeout and any
 * failure is counted and treated as a miss (or, for the lease, as granted). A dead Redis must never hold a request
 * for longer than {@code surge.cache.redis-timeout}, nor turn into an error for the customer; the back office is
 * still shielded by the near cache and by coalescing within the instance.
 */
final class RedisCacheStore {

    /** Channel on which evictions are announced to every instance. */
    static final String EVICTION_CHANNEL = "surge:cache:evictions";
    private static final String LEASE_PREFIX = "surge:lease:";

    private final ReactiveRedisTemplate<String, byte[]> redis;
    private final Duration timeout;
    private final Duration leaseTime;
    private final CacheMetrics metrics;
    private final byte[] instanceId = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);

    RedisCacheStore(ReactiveRedisTemplate<String, byte[]> redis, Duration timeout, Duration leaseTime,
                    CacheMetrics metrics) {
        this.redis = redis;
        this.timeout = timeout;
        this.leaseTime = leaseTime;
        this.metrics = metrics;
    }

    /** The entry, or empty on a miss, an unreadable value, or any Redis trouble. */
    Mono<CachedResponse> get(CacheKey key) {
        return redis.opsForValue().get(key.redisKey())
                .timeout(timeout)
                .mapNotNull(CachedResponse::fromBytes)
                .onErrorResume(e -> fallback("get", Mono.empty()));
    }

    /** Stores the entry for as long as it may be served; completes (never errs) within the timeout. */
    Mono<Void> put(CacheKey key, CachedResponse entry, long retentionMillis) {
        return redis.opsForValue().set(key.redisKey(), entry.toBytes(), Duration.ofMillis(retentionMillis))
                .timeout(timeout)
                .then()
                .onErrorResume(e -> fallback("put", Mono.empty()));
    }

    /**
     * Asks for the right to refresh {@code key} for the lease time. True when granted, or when Redis cannot say:
     * then this instance refreshes on its own rather than wait for an answer that will not come.
     */
    Mono<Boolean> tryLease(CacheKey key) {
        return redis.opsForValue().setIfAbsent(LEASE_PREFIX + key.redisKey(), instanceId, leaseTime)
                .timeout(timeout)
                .defaultIfEmpty(true)
                .onErrorResume(e -> fallback("lease", Mono.just(true)));
    }

    /** Gives the lease back early; if this fails it simply expires. */
    Mono<Void> releaseLease(CacheKey key) {
        return redis.delete(LEASE_PREFIX + key.redisKey())
                .timeout(timeout)
                .then()
                .onErrorResume(e -> fallback("release", Mono.empty()));
    }

    /** Deletes the keys and tells every instance to drop them (a pattern ending in '*' means a prefix). */
    Mono<Void> evict(String keyOrPrefixPattern) {
        Mono<Long> delete = keyOrPrefixPattern.endsWith("*")
                // A customer's keys share one hash slot, so one SCAN over a narrow pattern finds them all.
                ? redis.scan(ScanOptions.scanOptions().match(keyOrPrefixPattern).count(500).build())
                        .collectList().flatMap(keys -> keys.isEmpty() ? Mono.just(0L) : redis.delete(keys.toArray(String[]::new)))
                : redis.delete(keyOrPrefixPattern);
        return delete.timeout(timeout.multipliedBy(5))
                .then(redis.convertAndSend(EVICTION_CHANNEL, keyOrPrefixPattern.getBytes(StandardCharsets.UTF_8))
                        .timeout(timeout))
                .then()
                .onErrorResume(e -> fallback("evict", Mono.empty()));
    }

    private <T> Mono<T> fallback(String operation, Mono<T> instead) {
        metrics.redisFallback(operation);
        return instead;
    }
}
