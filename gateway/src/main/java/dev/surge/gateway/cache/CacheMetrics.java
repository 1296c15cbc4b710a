package dev.surge.gateway.cache;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The cache's counters, created once so the hot path only increments: hits per tier, misses, stale answers by
 * reason, coalesced callers, evictions and Redis fallbacks.
 */
final class CacheMetrics {

    static final String HITS = "surge.cache.hits";
    static final String MISSES = "surge.cache.misses";
    static final String STALE = "surge.cache.stale";
    static final String COALESCED = "surge.cache.coalesced";
    static final String EVICTIONS = "surge.cache.evictions";
    static final String REDIS_FALLBACKS = "surge.cache.redis.fallbacks";
    static final String REFRESH_FAILURES = "surge.cache.refresh.failures";

    private final MeterRegistry registry;
    private final Map<CachedResource, Counter> nearHits = new EnumMap<>(CachedResource.class);
    private final Map<CachedResource, Counter> redisHits = new EnumMap<>(CachedResource.class);
    private final Map<CachedResource, Counter> misses = new EnumMap<>(CachedResource.class);
    private final Map<CachedResource, Counter> staleRevalidate = new EnumMap<>(CachedResource.class);
    private final Map<CachedResource, Counter> staleError = new EnumMap<>(CachedResource.class);
    private final Map<CachedResource, Counter> coalesced = new EnumMap<>(CachedResource.class);
    private final Map<CachedResource, Counter> refreshFailures = new EnumMap<>(CachedResource.class);
    private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();
    private final Counter localEvictions;
    private final Counter remoteEvictions;

    CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (CachedResource r : CachedResource.values()) {
            nearHits.put(r, registry.counter(HITS, "resource", r.key(), "tier", "near"));
            redisHits.put(r, registry.counter(HITS, "resource", r.key(), "tier", "redis"));
            misses.put(r, registry.counter(MISSES, "resource", r.key()));
            staleRevalidate.put(r, registry.counter(STALE, "resource", r.key(), "reason", "revalidate"));
            staleError.put(r, registry.counter(STALE, "resource", r.key(), "reason", "error"));
            coalesced.put(r, registry.counter(COALESCED, "resource", r.key()));
            refreshFailures.put(r, registry.counter(REFRESH_FAILURES, "resource", r.key()));
        }
        localEvictions = registry.counter(EVICTIONS, "origin", "local");
        remoteEvictions = registry.counter(EVICTIONS, "origin", "remote");
    }

    void hit(CachedResource resource, boolean near) {
        (near ? nearHits : redisHits).get(resource).increment();
    }

    void miss(CachedResource resource) {
        misses.get(resource).increment();
    }

    void stale(CachedResource resource, boolean onError) {
        (onError ? staleError : staleRevalidate).get(resource).increment();
    }

    void coalesced(CachedResource resource) {
        coalesced.get(resource).increment();
    }

    void refreshFailed(CachedResource resource) {
        refreshFailures.get(resource).increment();
    }

    void evicted(boolean remote) {
        (remote ? remoteEvictions : localEvictions).increment();
    }

    /** A Redis operation that failed or timed out, so the cache went on without Redis. */
    void redisFallback(String operation) {
        fallbacks.computeIfAbsent(operation, op -> registry.counter(REDIS_FALLBACKS, "operation", op)).increment();
    }
}
