package dev.surge.gateway.ratelimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Reconciles the local counters with Redis, one batch per interval: every counter with news becomes one call of
 * {@code ratelimit-sync.lua}, all pipelined on Lettuce's shared connection (a batch holds one call per counter
 * touched in the interval, bounded by {@code surge.ratelimit.max-keys}).
 *
 * <p><b>Fail-open</b>: Redis only makes the limits global. If it is slow or gone, each instance keeps enforcing
 * every limit on its own counters (so across N instances a customer may get up to N × the limit), the requests not
 * sent are kept for the next batch, and every failed call is counted in {@code surge.ratelimit.redis.fallbacks}.
 * No request ever waits for this.
 */
final class RedisRateLimitSync {

    static final String KEY_PREFIX = "surge:rl:";
    private static final Logger log = LoggerFactory.getLogger(RedisRateLimitSync.class);

    private final SlidingWindowLimiter limiter;
    private final ReactiveStringRedisTemplate redis;
    private final Duration timeout;
    private final RateLimitMetrics metrics;
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> script;

    RedisRateLimitSync(SlidingWindowLimiter limiter, ReactiveStringRedisTemplate redis, Duration timeout,
                       RateLimitMetrics metrics) {
        this.limiter = limiter;
        this.redis = redis;
        this.timeout = timeout;
        this.metrics = metrics;
        // Read now, at startup: a resource-backed RedisScript reads its file on first use, on an event loop.
        try {
            this.script = RedisScript.of(new ClassPathResource("scripts/ratelimit-sync.lua")
                    .getContentAsString(StandardCharsets.UTF_8), List.class);
        } catch (IOException e) {
            throw new UncheckedIOException("scripts/ratelimit-sync.lua is missing from the jar", e);
        }
    }

    /** One reconciliation round; completes (never errs) once every call has answered or timed out. */
    Mono<Void> sync() {
        List<SlidingWindowLimiter.SyncItem> items = limiter.drain();
        if (items.isEmpty()) {
            return Mono.empty();
        }
        // Every call is dispatched here, on the sync's own thread, at once (Lettuce pipelines them). Not flatMap with
        // a concurrency bound: that would dispatch the later calls from Lettuce's event loop inside the completion of
        // earlier ones, and a nested write on a connection being closed spins forever (lettuce#3880).
        return Mono.when(items.stream().map(this::send).toList());
    }

    private Mono<Void> send(SlidingWindowLimiter.SyncItem item) {
        long lifetimeMillis = 2 * periodMillis(item) + 1_000;
        return redis.execute(script, List.of(item.currentKey(), item.previousKey()),
                        List.of(Long.toString(item.delta()), Long.toString(lifetimeMillis)))
                .next()
                .timeout(timeout)
                .doOnNext(answer -> limiter.apply(item, number(answer, 0), number(answer, 1)))
                .then()
                .onErrorResume(e -> {
                    metrics.redisFallback();
                    limiter.restore(item);
                    log.debug("rate-limit sync of {} failed: {}", item.currentKey(), e.toString());
                    return Mono.empty();
                });
    }

    /** The window's period, which sets how long its counter must outlive it in Redis. */
    private static long periodMillis(SlidingWindowLimiter.SyncItem item) {
        return item.state().periodMillis(item.window());
    }

    /** Lua integers arrive as Long, or as text once the template's string serializer has had them. */
    private static long number(List<?> answer, int i) {
        Object value = answer.size() > i ? answer.get(i) : null;
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof ByteBuffer buffer) {
            value = StandardCharsets.US_ASCII.decode(buffer.duplicate()).toString();
        }
        try {
            return value != null ? Long.parseLong(value.toString().trim()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
