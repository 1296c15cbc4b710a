package dev.surge.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Sliding-window counters (Cloudflare's estimate: the previous window's count weighted by how much of it still
 * overlaps, plus the current window's count), decided locally and reconciled with the other instances by
 * {@link #drain()} / {@link #apply}, which {@link RedisRateLimitSync} runs at a fixed interval.
 *
 * <p>Written here rather than taken from Bucket4j: Bucket4j's Lettuce proxy makes a Redis compare-and-swap per
 * request (its batching optimizations still go to Redis on the request path once a batch or delay is due), and a
 * Redis failure there is an exception on the request. Here the request path never touches Redis: it reads and bumps
 * in-memory counters under the key's own lock (no I/O inside), and all Redis traffic is one batch per interval off
 * the request path. With Redis gone, the same counters simply stop learning about other instances.
 */
final class SlidingWindowLimiter {

    /**
     * What the limiter decided. {@code window} is the tightest of the key's windows (least remaining), named in
     * the {@code RateLimit} header; {@code resetSeconds} is when that window starts afresh.
     */
    record Decision(boolean allowed, RateWindow window, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    /** One batch item for Redis: the requests to add to one window counter, and where to put the answer. */
    record SyncItem(KeyState state, int window, long index, String currentKey, String previousKey, long delta) {
    }

    /** Per route class, keyed by caller: no key string is built per request. */
    private final Map<RouteClass, Cache<String, KeyState>> states = new EnumMap<>(RouteClass.class);
    private final Set<KeyState> dirty = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final double syncFraction;

    SlidingWindowLimiter(Clock clock, int maxKeys, Duration idle, double syncFraction) {
        this.clock = clock;
        this.syncFraction = syncFraction;
        for (RouteClass routeClass : RouteClass.values()) {
            states.put(routeClass, Caffeine.newBuilder().maximumSize(maxKeys / RouteClass.values().length + 1)
                    .expireAfterAccess(idle).build());
        }
    }

    Decision tryAcquire(RouteClass routeClass, String caller, List<RateWindow> windows) {
        KeyState state = states.get(routeClass).get(caller,
                k -> new KeyState(routeClass.key() + ":" + k, windows.size(), syncFraction));
        long now = clock.millis();
        Decision decision = state.tryAcquire(windows, now);
        dirty.add(state);
        return decision;
    }

    /**
     * Takes every counter with news worth a Redis call (see {@link KeyState}). A key whose counts are not due leaves
     * the dirty set; its next request puts it back.
     */
    List<SyncItem> drain() {
        List<SyncItem> items = new ArrayList<>();
        for (KeyState state : dirty) {
            dirty.remove(state);
            state.drainInto(items);
        }
        return items;
    }

    /** Redis answered: the window's global total now, and the previous window's. */
    void apply(SyncItem item, long total, long previousTotal) {
        item.state().apply(item, total, previousTotal);
    }

    /** Redis did not answer: keep the requests for the next batch, so the global count still gets them. */
    void restore(SyncItem item) {
        if (item.state().restore(item)) {
            dirty.add(item.state());
        }
    }

    int trackedKeys() {
        return (int) states.values().stream().mapToLong(Cache::estimatedSize).sum();
    }
}
