package dev.surge.gateway.ratelimit;

import static dev.surge.gateway.redis.LuaScript.number;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import dev.surge.gateway.redis.LuaScript;
import io.lettuce.core.RedisCommandTimeoutException;

/**
 * Reconciles the local counters with Redis, one round per interval, for the counters that are due (see
 * {@link KeyState}). Every counter key carries one of {@link #SHARDS} hash tags, and a round sends one call of
 * {@code ratelimit-sync.lua} per shard (at most {@link #BATCH} counters each), all pipelined on Lettuce's shared
 * connection: a round over thousands of due counters is a few dozen calls, not thousands, each of which cost Lettuce
 * and Redis a command's overhead. The shard tags keep each call within one Redis Cluster slot while spreading the
 * shards over the cluster.
 *
 * <p><b>Fail-open</b>: Redis only makes the limits global. If it is slow or gone, each instance keeps enforcing
 * every limit on its own counters (so across N instances a customer may get up to N × the limit), the requests of a
 * call Redis refused are kept for the next batch (not those of a call that timed out: see
 * {@link #mayHaveBeenApplied}), and every failed call is counted in {@code surge.ratelimit.redis.fallbacks}.
 * No request ever waits for this.
 */
final class RedisRateLimitSync {

    static final String KEY_PREFIX = "surge:rl:";
    /** Hash tags the counters are spread over: enough to spread a cluster, few enough to batch well. */
    static final int SHARDS = 64;
    /** Counters per call: a bounded slice of Redis time (about 3 commands each), so no call stalls other clients. */
    static final int BATCH = 128;
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
        this.script = LuaScript.load("scripts/ratelimit-sync.lua");
    }

    /** One reconciliation round; completes (never errs) once every call has answered or timed out. */
    Mono<Void> sync() {
        List<SlidingWindowLimiter.SyncItem> items = limiter.drain();
        if (items.isEmpty()) {
            return Mono.empty();
        }
        List<List<SlidingWindowLimiter.SyncItem>> byShard = new ArrayList<>(SHARDS);
        for (int i = 0; i < SHARDS; i++) {
            byShard.add(new ArrayList<>());
        }
        items.forEach(item -> byShard.get(item.state().shard()).add(item));
        List<Mono<Void>> calls = new ArrayList<>();
        for (List<SlidingWindowLimiter.SyncItem> shard : byShard) {
            for (int from = 0; from < shard.size(); from += BATCH) {
                calls.add(send(shard.subList(from, Math.min(shard.size(), from + BATCH))));
            }
        }
        // Every call is dispatched here, on the sync's own thread, at once (Lettuce pipelines them). Not flatMap with
        // a concurrency bound: that would dispatch the later calls from Lettuce's event loop inside the completion of
        // earlier ones, and a nested write on a connection being closed spins forever (lettuce#3880).
        return Mono.when(calls);
    }

    private Mono<Void> send(List<SlidingWindowLimiter.SyncItem> batch) {
        List<String> keys = new ArrayList<>(2 * batch.size());
        List<String> args = new ArrayList<>(2 * batch.size());
        for (SlidingWindowLimiter.SyncItem item : batch) {
            keys.add(item.currentKey());
            keys.add(item.previousKey());
            args.add(Long.toString(item.delta()));
            args.add(Long.toString(2 * periodMillis(item) + 1_000));
        }
        return redis.execute(script, keys, args)
                .next()
                .timeout(timeout)
                .doOnNext(answer -> {
                    for (int i = 0; i < batch.size(); i++) {
                        limiter.apply(batch.get(i), number(answer, 2 * i), number(answer, 2 * i + 1));
                    }
                })
                .then()
                .onErrorResume(e -> {
                    metrics.redisFallback();
                    if (!mayHaveBeenApplied(e)) {
                        batch.forEach(limiter::restore);
                    }
                    log.debug("rate-limit sync of {} counters failed: {}", batch.size(), e.toString());
                    return Mono.empty();
                });
    }

    /**
     * Whether Redis may have run the script although no answer came: a timeout after the command went out (Redis
     * was slow, not gone). Such a batch is not sent again: adding its requests twice would make callers look busier
     * than they are, and refuse them below their limit for the rest of the window (ten minutes for the escalation
     * quota). If Redis never ran it, the global count misses those requests: the permissive side, as when Redis is
     * away. A command refused while disconnected (Lettuce rejects them, see RedisClientConfiguration) never ran, so
     * its requests are kept for the next batch.
     */
    static boolean mayHaveBeenApplied(Throwable e) {
        // Reactor's timeout() above, or Lettuce's own command timeout (as Spring Data passes it on, or wrapped)
        return e instanceof TimeoutException || e instanceof RedisCommandTimeoutException
                || e.getCause() instanceof RedisCommandTimeoutException;
    }

    /** The window's period, which sets how long its counter must outlive it in Redis. */
    private static long periodMillis(SlidingWindowLimiter.SyncItem item) {
        return item.state().periodMillis(item.window());
    }
}
