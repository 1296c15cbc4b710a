package dev.surge.gateway.cache;

/**
 * When an entry is fresh, stale-but-servable, or gone, and when a hot entry should be refreshed early. Pure
 * arithmetic on millisecond timestamps, so every window is tested by setting the clock, never by waiting.
 *
 * @param ttlMillis fresh for this long after the back office answered
 * @param staleWhileRevalidateMillis after the TTL, served at once while one refresh runs
 * @param maxStaleMillis after the TTL, may stand in for a failing back office (at least the revalidate window)
 * @param beta XFetch's beta; 0 disables early refresh
 * @param jitter the share of the TTL an entry may lose at random (0 to 0.5): entries loaded together (a cold start,
 *               a spike's first second) then do not all expire together, so their refreshes do not come as one wave
 *               that every request behind them feels. The draw is a hash of the entry's load time and ETag, so both
 *               tiers and every instance see the same TTL for the same entry.
 */
record CachePolicy(long ttlMillis, long staleWhileRevalidateMillis, long maxStaleMillis, double beta,
                   double jitter) {

    CachePolicy(long ttlMillis, long staleWhileRevalidateMillis, long maxStaleMillis, double beta) {
        this(ttlMillis, staleWhileRevalidateMillis, maxStaleMillis, beta, 0.0);
    }

    /** Where an entry stands. */
    enum State {
        FRESH,
        /** Still fresh, but XFetch drew an early refresh: serve it and refresh in the background. */
        FRESH_REFRESH_EARLY,
        /** Past the TTL, within stale-while-revalidate: serve it and refresh in the background. */
        STALE_REVALIDATE,
        /** Past stale-while-revalidate, within max-stale: refresh now, and serve it only if that fails. */
        STALE_IF_ERROR,
        /** Past max-stale: useless. */
        EXPIRED
    }

    /**
     * @param random a uniform draw in (0, 1]; XFetch (Vattani et al., "Optimal Probabilistic Cache Stampede
     *               Prevention") refreshes when {@code ttlLeft <= loadTime * beta * -ln(random)}, so keys that take
     *               long to load and are read often are refreshed earlier, and one reader does it, not all.
     */
    State state(CachedResponse entry, long nowMillis, double random) {
        long age = nowMillis - entry.fetchedAtMillis();
        long ttl = ttlMillis(entry);
        if (age < ttl) {
            long left = ttl - age;
            boolean early = beta > 0 && left <= Math.max(1, entry.loadMillis()) * beta * -Math.log(random);
            return early ? State.FRESH_REFRESH_EARLY : State.FRESH;
        }
        long stale = age - ttl;
        if (stale < staleWhileRevalidateMillis) {
            return State.STALE_REVALIDATE;
        }
        return stale < maxStaleMillis ? State.STALE_IF_ERROR : State.EXPIRED;
    }

    /** This entry's TTL: the configured one, less its share of the jitter. */
    long ttlMillis(CachedResponse entry) {
        if (jitter <= 0) {
            return ttlMillis;
        }
        long h = (entry.fetchedAtMillis() ^ ((long) entry.etag().hashCode() << 32)) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        double draw = (h >>> 11) * 0x1.0p-53; // uniform in [0, 1)
        return ttlMillis - (long) (ttlMillis * jitter * draw);
    }

    /** How long Redis keeps an entry: as long as it may be served at all. */
    long retentionMillis() {
        return ttlMillis + maxStaleMillis;
    }
}
