package dev.surge.gateway.cache;

import org.jspecify.annotations.Nullable;

/**
 * A cached response's identity. Personal data is always keyed by its customer, so one customer's entry can never be
 * found under another's key; the customer id is a Redis Cluster hash tag, keeping a customer's keys in one slot.
 *
 * @param resource what kind of data
 * @param customerId whose data, or null for data every caller may see (stock)
 * @param id the resource's id within that scope ("-" when the customer has only one, like a profile)
 */
public record CacheKey(CachedResource resource, @Nullable String customerId, String id) {

    /** Prefix of every cache key in Redis. */
    public static final String PREFIX = "surge:cache:";

    public static CacheKey personal(CachedResource resource, String customerId, String id) {
        return new CacheKey(resource, customerId, id);
    }

    public static CacheKey shared(CachedResource resource, String id) {
        return new CacheKey(resource, null, id);
    }

    /** {@code surge:cache:order:{c42}:O123}; shared keys tag the id instead: {@code surge:cache:stock:{SKU-1}}. */
    public String redisKey() {
        return customerId != null
                ? PREFIX + resource.key() + ":{" + customerId + "}:" + id
                : PREFIX + resource.key() + ":{" + id + "}";
    }

    /** The prefix of all of a customer's keys of one resource, e.g. every page of their order list. */
    public static String customerPrefix(CachedResource resource, String customerId) {
        return PREFIX + resource.key() + ":{" + customerId + "}:";
    }
}
