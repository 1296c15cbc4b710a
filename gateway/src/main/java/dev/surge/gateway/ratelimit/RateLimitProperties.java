package dev.surge.gateway.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code surge.ratelimit.*}: limits per route class, and how often the instances reconcile their counts.
 *
 * <p>Accuracy across N instances: each instance decides on its own counts plus the others' counts as of the last
 * sync, so within one sync interval the others' new requests are unseen, and each instance may also hold back up to
 * {@code sync-fraction} of the limit unsent (see {@link KeyState}). A customer spreading requests over all N
 * instances can therefore get at most {@code (N − 1) × (requests they can send to one instance in one sync-interval
 * + sync-fraction × limit)} over a limit, and never more than {@code N × limit}. With the defaults (100 ms, 0.25) and
 * a burst limit of 20/s, that is at most 2 + 5 extra requests per other instance for a client sending 20 per second;
 * {@code sync-fraction} 0 leaves the first term only. While Redis is unreachable each instance enforces each limit
 * alone.
 */
@Validated
@ConfigurationProperties("surge.ratelimit")
public class RateLimitProperties {

    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(100);
    public static final int DEFAULT_MAX_KEYS = 1_000_000;
    public static final double DEFAULT_SYNC_FRACTION = 0.25;

    /** Whether requests under /api/ are rate limited at all. Default true. */
    private boolean enabled = true;

    /** How often local counts are reconciled through Redis; sets the accuracy bound above. Default 100ms, 10ms to 5s. */
    private Duration syncInterval = DEFAULT_SYNC_INTERVAL;

    /** Longest wait for one Redis sync call before the local counts carry on alone. Default 100ms, 5ms to 2s. */
    private Duration redisTimeout = DEFAULT_REDIS_TIMEOUT;

    /**
     * A window's unsent requests go to Redis once they reach this fraction of the headroom the instance sees (limit
     * minus known counts), at least one. Higher: fewer Redis calls, looser accuracy across instances (another
     * instance may hold up to this fraction of a limit unsent); 0 sends every count at every sync. Default 0.25,
     * 0 to 1.
     */
    private double syncFraction = DEFAULT_SYNC_FRACTION;

    /** Most keys (route class + caller) tracked per instance; idle ones are forgotten first. Default 1000000. */
    @Min(value = 1_000, message = "surge.ratelimit.max-keys must be between 1000 and 100000000")
    @Max(value = 100_000_000, message = "surge.ratelimit.max-keys must be between 1000 and 100000000")
    private int maxKeys = DEFAULT_MAX_KEYS;

    /**
     * Addresses or CIDR ranges of the proxies in front of Surge whose {@code X-Forwarded-For} is believed, e.g.
     * {@code 10.0.0.0/8}. Default none: the peer address is the client.
     */
    private List<String> trustedProxies = new ArrayList<>();

    /** Windows per route class (read, action, escalation, agent, anonymous), replacing that class's defaults. */
    private Map<RouteClass, List<RateWindow>> classes = new EnumMap<>(RouteClass.class);

    /** The windows of a class: configured, or its defaults. */
    List<RateWindow> windows(RouteClass routeClass) {
        List<RateWindow> configured = classes.get(routeClass);
        return configured != null && !configured.isEmpty() ? List.copyOf(configured) : routeClass.defaults();
    }

    @AssertTrue(message = "surge.ratelimit: sync-interval must be 10ms to 5s, redis-timeout 5ms to 2s, "
            + "sync-fraction 0 to 1, and every window a lowercase name, a limit of at least 1 and a period of whole "
            + "seconds from 1s to 24h")
    boolean isValid() {
        boolean interval = syncInterval.toMillis() >= 10 && syncInterval.toMillis() <= 5_000;
        boolean timeout = redisTimeout.toMillis() >= 5 && redisTimeout.toMillis() <= 2_000;
        boolean fraction = syncFraction >= 0 && syncFraction <= 1;
        boolean windows = classes.values().stream().flatMap(List::stream).allMatch(RateWindow::isValid);
        return interval && timeout && fraction && windows;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getSyncInterval() {
        return syncInterval;
    }

    public void setSyncInterval(Duration syncInterval) {
        this.syncInterval = syncInterval;
    }

    public Duration getRedisTimeout() {
        return redisTimeout;
    }

    public void setRedisTimeout(Duration redisTimeout) {
        this.redisTimeout = redisTimeout;
    }

    public double getSyncFraction() {
        return syncFraction;
    }

    public void setSyncFraction(double syncFraction) {
        this.syncFraction = syncFraction;
    }

    public int getMaxKeys() {
        return maxKeys;
    }

    public void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public Map<RouteClass, List<RateWindow>> getClasses() {
        return classes;
    }

    public void setClasses(Map<RouteClass, List<RateWindow>> classes) {
        this.classes = classes;
    }
}
