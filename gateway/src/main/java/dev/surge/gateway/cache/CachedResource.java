package dev.surge.gateway.cache;

import java.time.Duration;

/**
 * What the self-service API caches, each with default freshness that fits how fast the data changes: stock moves
 * in seconds, an order's status in minutes, a profile rarely. Defaults are overridable per resource in
 * {@link CacheProperties}.
 */
public enum CachedResource {
    PROFILE("profile", Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofHours(24)),
    ACCOUNT("account", Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofHours(1)),
    ORDERS("orders", Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofHours(1)),
    ORDER("order", Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofHours(6)),
    SHIPMENT("shipment", Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofHours(6)),
    STOCK("stock", Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(10)),
    /**
     * What an order allows now: short-lived, and little stale-if-error, since an app shows only the buttons it
     * lists; every write evicts it.
     */
    ACTIONS("actions", Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(5)),
    /** The customer's returns (the list, and each by RMA); every return evicts them. */
    RETURNS("returns", Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofHours(1));

    private final String key;
    private final Duration defaultTtl;
    private final Duration defaultStaleWhileRevalidate;
    private final Duration defaultMaxStale;

    CachedResource(String key, Duration ttl, Duration staleWhileRevalidate, Duration maxStale) {
        this.key = key;
        this.defaultTtl = ttl;
        this.defaultStaleWhileRevalidate = staleWhileRevalidate;
        this.defaultMaxStale = maxStale;
    }

    /** Name in Redis keys, metrics and properties. */
    public String key() {
        return key;
    }

    Duration defaultTtl() {
        return defaultTtl;
    }

    Duration defaultStaleWhileRevalidate() {
        return defaultStaleWhileRevalidate;
    }

    Duration defaultMaxStale() {
        return defaultMaxStale;
    }
}
