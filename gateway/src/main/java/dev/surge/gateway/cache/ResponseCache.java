package dev.surge.gateway.cache;

import java.util.function.Supplier;

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
     * @param loader makes the read of the back office that encodes the body; called only on a miss or refresh, at
     *               most once per key at a time in this instance, and kept with the entry for later refreshes
     */
    Mono<Served> get(CacheKey key, Supplier<Mono<byte[]>> loader);

    /**
     * The near-cache answer for {@code key} if it can be given at once: fresh, or stale within
     * stale-while-revalidate (then one background refresh starts, with the entry's own loader). Null otherwise;
     * then call {@link #get}. Synchronous, for the hot path; never waits on Redis or the back office.
     */
    @Nullable Served peek(CacheKey key);

    /** Removes the entry from Redis and from every instance's near cache. */
    Mono<Void> evict(CacheKey key);

    /** Removes every entry of a customer for one resource (e.g. all pages of their order list), everywhere. */
    Mono<Void> evictCustomer(CachedResource resource, String customerId);
}
