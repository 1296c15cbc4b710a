package dev.surge.gateway.cache;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The response cache, under {@code surge.cache}. */
@Validated
@ConfigurationProperties("surge.cache")
public class CacheProperties {

    public static final int DEFAULT_NEAR_MAX_ENTRIES = 200_000;
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(100);
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(3);
    public static final Duration DEFAULT_LEASE_WAIT = Duration.ofMillis(300);
    public static final double DEFAULT_EARLY_REFRESH_BETA = 1.0;
    public static final double DEFAULT_TTL_JITTER = 0.2;

    /** Most entries in each instance's near cache (~1 KB each). Default 200000, allowed 100 to 10000000. */
    @Min(value = 100, message = "surge.cache.near-max-entries must be between 100 and 10000000")
    @Max(value = 10_000_000, message = "surge.cache.near-max-entries must be between 100 and 10000000")
    private int nearMaxEntries = DEFAULT_NEAR_MAX_ENTRIES;

    /**
     * Longest wait for any Redis cache operation; past it the cache carries on without Redis (near cache, then the
     * back office). Default 100ms, allowed 5ms to 2s.
     */
    private Duration redisTimeout = DEFAULT_REDIS_TIMEOUT;

    /** How long one instance may hold the right to refresh a key before another may take over. Default 3s. */
    private Duration leaseTime = DEFAULT_LEASE_TIME;

    /**
     * How long an instance without the lease and without a stale entry waits for the holder's result before it asks
     * the back office itself. Default 300ms, at most the lease time.
     */
    private Duration leaseWait = DEFAULT_LEASE_WAIT;

    /**
     * XFetch's beta: how early hot keys are refreshed before they expire; 0 turns early refresh off, larger values
     * refresh earlier. Default 1.0, allowed 0 to 10.
     */
    private double earlyRefreshBeta = DEFAULT_EARLY_REFRESH_BETA;

    /**
     * Share of each entry's TTL it may lose at random, so entries loaded in the same moment do not expire (and
     * refresh) in the same moment. Default 0.2, allowed 0 to 0.5.
     */
    private double ttlJitter = DEFAULT_TTL_JITTER;

    /** Where the shared tier lives. */
    private final Redis redis = new Redis();

    /** The cache's Redis, under {@code surge.cache.redis}. */
    public static class Redis {

        /**
         * A Redis of the cache's own ({@code redis://host:6379}, {@code rediss://} for TLS; env
         * {@code SURGE_CACHE_REDIS_URL}) for the shared tier and its eviction channel, best run with
         * {@code maxmemory-policy allkeys-lru} and no persistence. Default none: the cache shares
         * {@code spring.data.redis.*} with the queue, which must then run {@code noeviction}.
         */
        private @Nullable String url;

        public @Nullable String getUrl() {
            return url;
        }

        public void setUrl(@Nullable String url) {
            this.url = url;
        }
    }

    public Redis getRedis() {
        return redis;
    }

    /** Per-resource freshness overrides, keyed by profile, account, orders, order, shipment, stock. */
    private Map<CachedResource, Freshness> resources = new EnumMap<>(CachedResource.class);

    /** Freshness of one resource; unset members keep the resource's default ({@link CachedResource}). */
    public static class Freshness {

        /** Time an entry is fresh after the back office answered. */
        private @Nullable Duration ttl;

        /** After the TTL, how long a stale entry is served at once while one refresh runs (RFC 5861). */
        private @Nullable Duration staleWhileRevalidate;

        /** After the TTL, how long a stale entry may stand in when the back office fails (RFC 5861 stale-if-error). */
        private @Nullable Duration maxStale;

        public @Nullable Duration getTtl() {
            return ttl;
        }

        public void setTtl(@Nullable Duration ttl) {
            this.ttl = ttl;
        }

        public @Nullable Duration getStaleWhileRevalidate() {
            return staleWhileRevalidate;
        }

        public void setStaleWhileRevalidate(@Nullable Duration staleWhileRevalidate) {
            this.staleWhileRevalidate = staleWhileRevalidate;
        }

        public @Nullable Duration getMaxStale() {
            return maxStale;
        }

        public void setMaxStale(@Nullable Duration maxStale) {
            this.maxStale = maxStale;
        }
    }

    /** The effective policy of a resource. */
    CachePolicy policy(CachedResource resource) {
        Freshness override = resources.get(resource);
        Duration ttl = override != null && override.getTtl() != null ? override.getTtl() : resource.defaultTtl();
        Duration swr = override != null && override.getStaleWhileRevalidate() != null
                ? override.getStaleWhileRevalidate() : resource.defaultStaleWhileRevalidate();
        Duration maxStale = override != null && override.getMaxStale() != null
                ? override.getMaxStale() : resource.defaultMaxStale();
        return new CachePolicy(ttl.toMillis(), swr.toMillis(), Math.max(maxStale.toMillis(), swr.toMillis()),
                earlyRefreshBeta, ttlJitter);
    }

    @AssertTrue(message = "surge.cache: redis-timeout must be 5ms to 2s, lease-wait at most lease-time, "
            + "early-refresh-beta 0 to 10, ttl-jitter 0 to 0.5, and every ttl positive")
    boolean isValid() {
        boolean timeouts = redisTimeout.toMillis() >= 5 && redisTimeout.toMillis() <= 2000
                && !leaseWait.isNegative() && leaseWait.compareTo(leaseTime) <= 0 && leaseTime.toMillis() > 0;
        boolean beta = earlyRefreshBeta >= 0 && earlyRefreshBeta <= 10 && ttlJitter >= 0 && ttlJitter <= 0.5;
        boolean ttls = resources.values().stream().allMatch(f -> f.getTtl() == null || f.getTtl().toMillis() > 0);
        return timeouts && beta && ttls;
    }

    public double getTtlJitter() {
        return ttlJitter;
    }

    public void setTtlJitter(double ttlJitter) {
        this.ttlJitter = ttlJitter;
    }

    public int getNearMaxEntries() {
        return nearMaxEntries;
    }

    public void setNearMaxEntries(int nearMaxEntries) {
        this.nearMaxEntries = nearMaxEntries;
    }

    public Duration getRedisTimeout() {
        return redisTimeout;
    }

    public void setRedisTimeout(Duration redisTimeout) {
        this.redisTimeout = redisTimeout;
    }

    public Duration getLeaseTime() {
        return leaseTime;
    }

    public void setLeaseTime(Duration leaseTime) {
        this.leaseTime = leaseTime;
    }

    public Duration getLeaseWait() {
        return leaseWait;
    }

    public void setLeaseWait(Duration leaseWait) {
        this.leaseWait = leaseWait;
    }

    public double getEarlyRefreshBeta() {
        return earlyRefreshBeta;
    }

    public void setEarlyRefreshBeta(double earlyRefreshBeta) {
        this.earlyRefreshBeta = earlyRefreshBeta;
    }

    public Map<CachedResource, Freshness> getResources() {
        return resources;
    }

    public void setResources(Map<CachedResource, Freshness> resources) {
        this.resources = resources;
    }
}
