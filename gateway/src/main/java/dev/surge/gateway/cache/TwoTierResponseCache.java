package dev.surge.gateway.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.surge.gateway.backoffice.BackOfficeException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Near cache (Caffeine, bounded, per instance) in front of Redis, in front of the loader.
 *
 * <p>A near hit costs a map lookup and a clock read. A miss looks in Redis; a Redis miss loads once per key per
 * instance (concurrent callers share the one call), and across instances the first to take the Redis lease loads
 * while the others wait briefly for its result. Entries past their TTL are served stale while one refresh runs, and
 * stand in for a failing back office up to the maximum staleness.
 */
final class TwoTierResponseCache implements ResponseCache {

    private static final Logger log = LoggerFactory.getLogger(TwoTierResponseCache.class);
    private static final Duration PEER_POLL = Duration.ofMillis(25);

    private final Cache<String, NearEntry> near;
    private final RedisCacheStore redis;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final Map<CachedResource, CachePolicy> policies;
    private final Duration leaseWait;
    private final Map<String, Mono<CachedResponse>> inflight = new ConcurrentHashMap<>();

    TwoTierResponseCache(CacheProperties properties, RedisCacheStore redis, CacheMetrics metrics, Clock clock) {
        this.redis = redis;
        this.metrics = metrics;
        this.clock = clock;
        this.leaseWait = properties.getLeaseWait();
        this.policies = new java.util.EnumMap<>(CachedResource.class);
        long longest = 0;
        for (CachedResource resource : CachedResource.values()) {
            CachePolicy policy = properties.policy(resource);
            policies.put(resource, policy);
            longest = Math.max(longest, policy.retentionMillis());
        }
        // Entries carry their own timestamps and the policy decides what they are worth; Caffeine bounds memory and
        // drops what no policy could still serve.
        this.near = Caffeine.newBuilder()
                .maximumSize(properties.getNearMaxEntries())
                .expireAfterWrite(Duration.ofMillis(longest))
                .build();
    }

    @Override
    public Mono<Served> get(CacheKey key, Supplier<Mono<byte[]>> loader) {
        String redisKey = key.redisKey();
        NearEntry local = near.getIfPresent(redisKey);
        if (local != null) {
            Mono<Served> served = serve(key, local.response(), loader, true);
            if (served != null) {
                return served;
            }
        }
        return redis.get(key)
                // The miss path goes on to the lease, another Redis command. Issuing it from inside the first one's
                // completion (on Lettuce's thread, or inside our own write when Lettuce rejects a command at once)
                // nests two writes on one connection, which can hang it while it reconnects (lettuce#3880).
                .publishOn(Schedulers.parallel())
                .flatMap(shared -> {
                    Mono<Served> served = serve(key, shared, loader, false);
                    if (served != null) {
                        near.put(redisKey, new NearEntry(shared, loader));
                        return served;
                    }
                    return Mono.empty();
                })
                .switchIfEmpty(Mono.defer(() -> load(key, loader)
                        .map(entry -> new Served(entry, Served.Outcome.MISS))));
    }

    @Override
    public @Nullable Served peek(CacheKey key) {
        NearEntry local = near.getIfPresent(key.redisKey());
        if (local == null) {
            return null;
        }
        CachedResponse entry = local.response();
        switch (policies.get(key.resource()).state(entry, clock.millis(), random())) {
            case FRESH -> {
                metrics.hit(key.resource(), true);
                return new Served(entry, Served.Outcome.HIT);
            }
            case FRESH_REFRESH_EARLY -> {
                metrics.hit(key.resource(), true);
                refreshInBackground(key, local.loader());
                return new Served(entry, Served.Outcome.HIT);
            }
            case STALE_REVALIDATE -> {
                metrics.stale(key.resource(), false);
                refreshInBackground(key, local.loader());
                return new Served(entry, Served.Outcome.STALE_REVALIDATING);
            }
            default -> {
                return null; // a synchronous refresh (or an error) decides: the full path does it
            }
        }
    }

    /** A uniform draw in (0, 1] for XFetch. */
    private static double random() {
        return 1.0 - ThreadLocalRandom.current().nextDouble();
    }

    /** Serves an entry according to its state, or returns null if it is worthless (expired). */
    private @Nullable Mono<Served> serve(CacheKey key, CachedResponse entry, Supplier<Mono<byte[]>> loader,
                                         boolean nearTier) {
        CachePolicy policy = policies.get(key.resource());
        switch (policy.state(entry, clock.millis(), random())) {
            case FRESH -> {
                metrics.hit(key.resource(), nearTier);
                return Mono.just(new Served(entry, Served.Outcome.HIT));
            }
            case FRESH_REFRESH_EARLY -> {
                metrics.hit(key.resource(), nearTier);
                refreshInBackground(key, loader);
                return Mono.just(new Served(entry, Served.Outcome.HIT));
            }
            case STALE_REVALIDATE -> {
                metrics.stale(key.resource(), false);
                refreshInBackground(key, loader);
                return Mono.just(new Served(entry, Served.Outcome.STALE_REVALIDATING));
            }
            case STALE_IF_ERROR -> {
                return load(key, loader)
                        .map(fresh -> new Served(fresh, Served.Outcome.MISS))
                        .onErrorResume(TwoTierResponseCache::isBackOfficeFailure, e -> {
                            metrics.stale(key.resource(), true);
                            return Mono.just(new Served(entry, Served.Outcome.STALE_ON_ERROR));
                        });
            }
            default -> {
                return null;
            }
        }
    }

    /** A failure the back office may recover from; a 404 is an answer, not a failure, and is never covered up. */
    private static boolean isBackOfficeFailure(Throwable e) {
        return e instanceof BackOfficeException b && b.kind() != BackOfficeException.Kind.NOT_FOUND;
    }

    private void refreshInBackground(CacheKey key, Supplier<Mono<byte[]>> loader) {
        load(key, loader).subscribe(entry -> { }, e -> {
            metrics.refreshFailed(key.resource());
            log.debug("background refresh of {} failed: {}", key.redisKey(), e.toString());
        });
    }

    /** One load per key at a time in this instance; later callers share the first one's result. */
    private Mono<CachedResponse> load(CacheKey key, Supplier<Mono<byte[]>> loader) {
        String redisKey = key.redisKey();
        Mono<CachedResponse> running = inflight.get(redisKey);
        if (running != null) {
            metrics.coalesced(key.resource());
            return running;
        }
        AtomicReference<Mono<CachedResponse>> self = new AtomicReference<>();
        // cache(): the load runs once and outlives callers who cancel, so its result still fills the cache.
        self.set(Mono.defer(() -> leasedLoad(key, loader))
                .doFinally(signal -> inflight.remove(redisKey, self.get()))
                .cache());
        Mono<CachedResponse> raced = inflight.putIfAbsent(redisKey, self.get());
        if (raced != null) {
            metrics.coalesced(key.resource());
            return raced;
        }
        return self.get();
    }

    /** Across instances: the lease holder loads; the others wait briefly for its result, then load themselves. */
    private Mono<CachedResponse> leasedLoad(CacheKey key, Supplier<Mono<byte[]>> loader) {
        return redis.tryLease(key).flatMap(granted -> granted
                ? callLoader(key, loader).flatMap(entry -> redis.releaseLease(key).thenReturn(entry))
                : awaitPeer(key, loader).switchIfEmpty(Mono.defer(() -> callLoader(key, loader))));
    }

    private Mono<CachedResponse> awaitPeer(CacheKey key, Supplier<Mono<byte[]>> loader) {
        CachePolicy policy = policies.get(key.resource());
        // Only a fresh entry is the lease holder's result; a stale one is what we already had.
        Predicate<CachedResponse> fresh = entry -> policy.state(entry, clock.millis(), 1.0) == CachePolicy.State.FRESH;
        return Flux.interval(PEER_POLL)
                .onBackpressureDrop() // a slow Redis read skips ticks rather than overflowing
                .take(Math.max(1, leaseWait.toMillis() / PEER_POLL.toMillis()))
                .concatMap(tick -> redis.get(key))
                .filter(fresh)
                .next()
                .doOnNext(entry -> near.put(key.redisKey(), new NearEntry(entry, loader)));
    }

    private Mono<CachedResponse> callLoader(CacheKey key, Supplier<Mono<byte[]>> loader) {
        long started = clock.millis();
        return loader.get().flatMap(body -> {
            long now = clock.millis();
            CachedResponse entry = CachedResponse.of(body, now, (int) Math.min(Integer.MAX_VALUE, now - started));
            metrics.miss(key.resource());
            near.put(key.redisKey(), new NearEntry(entry, loader));
            return redis.put(key, entry, policies.get(key.resource()).retentionMillis()).thenReturn(entry);
        });
    }

    @Override
    public Mono<Void> evict(CacheKey key) {
        near.invalidate(key.redisKey());
        metrics.evicted(false);
        return redis.evict(key.redisKey());
    }

    @Override
    public Mono<Void> evictCustomer(CachedResource resource, String customerId) {
        String prefix = CacheKey.customerPrefix(resource, customerId);
        evictLocally(prefix + "*");
        metrics.evicted(false);
        return redis.evict(prefix + "*");
    }

    /** Applies an eviction announced by any instance (this one included) to the near cache. */
    void evictLocally(String keyOrPrefixPattern) {
        if (keyOrPrefixPattern.endsWith("*")) {
            String prefix = keyOrPrefixPattern.substring(0, keyOrPrefixPattern.length() - 1);
            near.asMap().keySet().removeIf(k -> k.startsWith(prefix));
        } else {
            near.invalidate(keyOrPrefixPattern);
        }
    }

    void remoteEviction(String keyOrPrefixPattern) {
        evictLocally(keyOrPrefixPattern);
        metrics.evicted(true);
    }

    /** A near-cache entry and how to refresh it, so any reader, the fast path included, can start a refresh. */
    private record NearEntry(CachedResponse response, Supplier<Mono<byte[]>> loader) {
    }
}
