package dev.surge.gateway.contact;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import dev.surge.gateway.core.Durations;

/**
 * Fleet-wide contact metrics, under {@code surge.contact} (docs/metrics.md). Every instance must use the same
 * windows, threshold and session gap: they share the figures.
 *
 * @param enabled whether events are recorded and the ops summary and gauges exist. Default true.
 * @param windows the windows the summary and the gauges offer, sliding, in whole minutes. Default 15m, 1h, 24h;
 *                allowed 1 to 5 distinct windows of 1m to 24h (buckets live 25 h).
 * @param serviceLevelThreshold the service level's threshold: answered within it counts as in service. Default 20s;
 *                              one of the wait histogram's bounds (5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600,
 *                              1200, 1800 or 3600 s), so it can change without losing what was recorded.
 * @param serviceLevelTarget the service level aimed at, reported with it. Default 0.8, allowed 0 to 1.
 * @param sessionGap a customer's activity after a pause longer than this starts a new session. Default 30m, allowed
 *                   1m to 24h.
 * @param flushInterval how often this instance writes what it recorded to Redis (and samples its protection
 *                      counters). Default 1s, allowed 100ms to 10s.
 * @param gaugeInterval how often this instance recomputes the {@code surge.contact.*} gauges from Redis. Default 30s,
 *                      allowed 1s to 10m.
 * @param maxBuffered most entries held in memory, each of: customers with unwritten activity, other unwritten events,
 *                    and bucket updates kept for a retry while Redis is away; past it new ones are dropped and
 *                    counted ({@code surge.contact.dropped}). Default 100000, allowed 1000 to 10000000.
 * @param redisTimeout longest wait on Redis for one metrics call (a flush's write, a summary's read). Default 500ms,
 *                     allowed 10ms to 5s.
 */
@Validated
@ConfigurationProperties("surge.contact")
public record ContactProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue({"15m", "1h", "24h"}) List<Duration> windows,
        @DefaultValue("20s") Duration serviceLevelThreshold,
        @DefaultValue("0.8") double serviceLevelTarget,
        @DefaultValue("30m") Duration sessionGap,
        @DefaultValue("1s") Duration flushInterval,
        @DefaultValue("30s") Duration gaugeInterval,
        @DefaultValue("100000")
        @Min(value = 1000, message = "surge.contact.max-buffered must be 1000 to 10000000")
        @Max(value = 10_000_000, message = "surge.contact.max-buffered must be 1000 to 10000000") int maxBuffered,
        @DefaultValue("500ms") Duration redisTimeout) {

    public static final List<Duration> DEFAULT_WINDOWS =
            List.of(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(24));
    public static final Duration DEFAULT_SERVICE_LEVEL_THRESHOLD = Duration.ofSeconds(20);
    public static final double DEFAULT_SERVICE_LEVEL_TARGET = 0.8;
    public static final Duration DEFAULT_SESSION_GAP = Duration.ofMinutes(30);
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_GAUGE_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_BUFFERED = 100_000;
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(500);
    /** Longest window: buckets expire after {@link ContactKeys#TTL}, an hour more. */
    static final Duration MAX_WINDOW = Duration.ofHours(24);

    /** Every default, as a fresh application binds them. */
    public static ContactProperties defaults() {
        return new ContactProperties(true, DEFAULT_WINDOWS, DEFAULT_SERVICE_LEVEL_THRESHOLD,
                DEFAULT_SERVICE_LEVEL_TARGET, DEFAULT_SESSION_GAP, DEFAULT_FLUSH_INTERVAL, DEFAULT_GAUGE_INTERVAL,
                DEFAULT_MAX_BUFFERED, DEFAULT_REDIS_TIMEOUT);
    }

    /** A window's name on the wire and in the gauges' {@code window} tag: {@code 15m}, {@code 1h}, {@code 24h}. */
    static String name(Duration window) {
        long minutes = window.toMinutes();
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    @AssertTrue(message = "surge.contact.windows: 1 to 5 distinct windows of whole minutes, 1m to 24h")
    boolean isWindowsValid() {
        return windows != null && !windows.isEmpty() && windows.size() <= 5
                && new HashSet<>(windows.stream().map(ContactProperties::name).toList()).size() == windows.size()
                && windows.stream().allMatch(w -> Durations.within(w, Duration.ofMinutes(1), MAX_WINDOW)
                        && w.toSeconds() % 60 == 0 && w.getNano() == 0);
    }

    @AssertTrue(message = "surge.contact.service-level-threshold must be one of 5, 10, 15, 20, 30, 45, 60, 90, 120, "
            + "180, 300, 600, 1200, 1800 or 3600 seconds")
    boolean isServiceLevelThresholdValid() {
        return serviceLevelThreshold != null && serviceLevelThreshold.getNano() == 0
                && WaitHistogram.isBound(serviceLevelThreshold.toSeconds());
    }

    @AssertTrue(message = "surge.contact: service-level-target 0-1, session-gap 1m-24h, flush-interval 100ms-10s, "
            + "gauge-interval 1s-10m, redis-timeout 10ms-5s")
    boolean isValid() {
        return serviceLevelTarget >= 0 && serviceLevelTarget <= 1
                && Durations.within(sessionGap, Duration.ofMinutes(1), Duration.ofHours(24))
                && Durations.within(flushInterval, Duration.ofMillis(100), Duration.ofSeconds(10))
                && Durations.within(gaugeInterval, Duration.ofSeconds(1), Duration.ofMinutes(10))
                && Durations.within(redisTimeout, Duration.ofMillis(10), Duration.ofSeconds(5));
    }
}
