package dev.surge.gateway.cache;

/**
 * A response as the cache served it.
 *
 * @param response the body, ETag and fetch time
 * @param outcome how it was served, for the {@code Cache-Status} header and metrics
 */
public record Served(CachedResponse response, Outcome outcome) {

    /** How a response was served. */
    public enum Outcome {
        /** Fresh from the near cache or Redis. */
        HIT,
        /** Just read from the back office (possibly by a coalesced call). */
        MISS,
        /** Past its TTL, served at once while one refresh runs (stale-while-revalidate). */
        STALE_REVALIDATING,
        /** The back office failed; served stale within the maximum staleness (stale-if-error). */
        STALE_ON_ERROR;

        public boolean isStale() {
            return this == STALE_REVALIDATING || this == STALE_ON_ERROR;
        }
    }

    /** Seconds since the back office answered: the HTTP {@code Age}. */
    public long ageSeconds(long nowMillis) {
        return Math.max(0, (nowMillis - response.fetchedAtMillis()) / 1000);
    }
}
