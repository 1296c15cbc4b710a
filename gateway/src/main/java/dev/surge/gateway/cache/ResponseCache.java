package dev.surge.gateway.cache;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

/**
 * The read-path cache. {@link #get} answers from the near cache or Redis when it can, and otherwise runs the loader
 * once for all concurrent callers; writes through Surge call {@link #evict} so every instance forgets the old answer.
 */
public interface ResponseCache {

    /**
     * The response for {@code key}: fresh from cache, stale while one refresh runs, freshly loaded, or stale when the
     * loader fails within the resource's maximum staleness. Otherwise the loader's error.
     *
     * @param loader reads the back office and encodes the body; subscribed at most once per key at a time here
     */
    Mono<Served> get(CacheKey key, Mono<byte[]> loader);

    /**
     * A fresh near-cache entry for {@code key}, counted as a hit, or null (then call {@link #get}). Synchronous and
     * allocation-free, for the hot path; never touches Redis or the back office and never refreshes.
     */
    @Nullable CachedResponse peekFresh(CacheKey key);

    /** Removes the entry from Redis and from every instance's near cache. */
    Mono<Void> evict(CacheKey key);

    /** Removes every entry of a customer for one resource (e.g. all pages of their order list), everywhere. */
    Mono<Void> evictCustomer(CachedResource resource, String customerId);
}
