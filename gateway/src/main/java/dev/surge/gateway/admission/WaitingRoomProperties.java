package dev.surge.gateway.admission;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code surge.admission.waiting-room.*}: what a shed customer gets instead of a bare 503, a signed ticket to a FIFO
 * queue shared by every instance through Redis (see {@code docs/architecture.md}, "The waiting room").
 */
@Validated
@ConfigurationProperties("surge.admission.waiting-room")
public class WaitingRoomProperties {

    public static final Duration DEFAULT_TICKET_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_ADMISSION_WINDOW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_REFRESH_INTERVAL = Duration.ofSeconds(10);
    public static final long DEFAULT_MAX_DEPTH = 5_000;
    public static final Duration DEFAULT_ADVANCE_INTERVAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_RATE_WINDOW = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(50);
    /** Shortest secret accepted: HMAC-SHA256 gains nothing from a longer key, and loses with a shorter one. */
    public static final int MIN_SECRET_BYTES = 32;

    /**
     * Whether shed customers get waiting-room tickets; off, the plain 503 {@code overloaded}. Default false: under a
     * sustained open-model overload (docs/benchmarks.md, "Overload") the room's extra requests (a ticket per shed
     * arrival, polls, the admitted retry) cost more than they save on the machines measured so far, where admission
     * alone holds. Turn it on where customers would rather wait their turn than retry, and measure it there.
     */
    private boolean enabled = false;

    /**
     * HMAC-SHA256 key that signs tickets, the same on every instance, at least 32 bytes. The demo profile sets a
     * demo value; the prod profile reads {@code SURGE_WAITING_ROOM_SECRET}, and with the room on does not start
     * without it.
     */
    private @Nullable String secret;

    /** Longest a ticket waits for admission; past it the place is lost (404). Default 1h, 1m to 24h. */
    private Duration ticketTtl = DEFAULT_TICKET_TTL;

    /**
     * How long an admitted ticket lets its customer in, for any number of requests, counted from its admission.
     * Default 30s, 5s to 10m.
     */
    private Duration admissionWindow = DEFAULT_ADMISSION_WINDOW;

    /**
     * The shortest a waiting customer is asked to wait before asking again ({@code refreshSeconds}, {@code
     * Retry-After}; the one given near the front), and the longest an SSE stream stays silent. Whole seconds,
     * default 1s, 1s to 60s.
     */
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;

    /**
     * The longest {@code refreshSeconds}: further back, customers are asked again after half their estimated wait
     * (a second per place ahead while no admission is measured), up to this, so a long queue does not poll the
     * gateway flat. Whole seconds, default 10s; with {@code
     * refresh-interval}, whichever is longer must be under half the admission window, so an admitted customer always
     * hears of it in time.
     */
    private Duration maxRefreshInterval = DEFAULT_MAX_REFRESH_INTERVAL;

    /**
     * Most places waiting at once, across instances; a customer shed while the queue is this long gets the plain
     * 503 {@code overloaded} with {@code Retry-After} instead of a place (counted as {@code refused}). Each waiting
     * customer polls (or holds an SSE stream), and under an overload that does not end a queue without a bound
     * grows until its polls cost more than the customers being served: bounded, it stays a waiting room and not a
     * second overload. Default 5000, 1 to 10,000,000.
     */
    private long maxDepth = DEFAULT_MAX_DEPTH;

    /**
     * How often each instance reads the queue from Redis and moves the admitted pointer on by its free room. Default
     * 250ms, 50ms to 5s; it also bounds how long a new queue can go unseen by the other instances.
     */
    private Duration advanceInterval = DEFAULT_ADVANCE_INTERVAL;

    /** Admissions over this last stretch of time give the rate estimated waits use. Default 10s, 1s to 10m. */
    private Duration rateWindow = DEFAULT_RATE_WINDOW;

    /**
     * Longest a shed request waits on Redis for a ticket; past it (or at once while Redis is known to be away) the
     * plain 503. Default 50ms, 5ms to 1s.
     */
    private Duration redisTimeout = DEFAULT_REDIS_TIMEOUT;

    @AssertTrue(message = "surge.admission.waiting-room: need a secret of at least 32 bytes when enabled, ticket-ttl "
            + "1m to 24h, admission-window 5s to 10m, refresh-interval and max-refresh-interval whole seconds from 1s "
            + "to 60s, the longer of the two under half the admission window, max-depth 1 to 10,000,000, "
            + "advance-interval 50ms to 5s, rate-window 1s to 10m, redis-timeout 5ms to 1s")
    boolean isValid() {
        boolean key = !enabled
                || (secret != null && secret.getBytes(StandardCharsets.UTF_8).length >= MIN_SECRET_BYTES);
        boolean ttl = within(ticketTtl, Duration.ofMinutes(1), Duration.ofHours(24));
        boolean window = within(admissionWindow, Duration.ofSeconds(5), Duration.ofMinutes(10));
        boolean refresh = wholeSecondsUpToAMinute(refreshInterval) && wholeSecondsUpToAMinute(maxRefreshInterval)
                && effectiveMaxRefreshInterval().multipliedBy(2).compareTo(admissionWindow) < 0;
        boolean depth = maxDepth >= 1 && maxDepth <= 10_000_000;
        boolean advance = within(advanceInterval, Duration.ofMillis(50), Duration.ofSeconds(5));
        boolean rate = within(rateWindow, Duration.ofSeconds(1), Duration.ofMinutes(10));
        boolean timeout = within(redisTimeout, Duration.ofMillis(5), Duration.ofSeconds(1));
        return key && ttl && window && refresh && depth && advance && rate && timeout;
    }

    private static boolean wholeSecondsUpToAMinute(Duration value) {
        return within(value, Duration.ofSeconds(1), Duration.ofSeconds(60)) && value.toMillis() % 1000 == 0;
    }

    /** The longest refresh a customer is given: {@code max-refresh-interval}, or the shortest if that is longer. */
    Duration effectiveMaxRefreshInterval() {
        return maxRefreshInterval.compareTo(refreshInterval) >= 0 ? maxRefreshInterval : refreshInterval;
    }

    private static boolean within(Duration value, Duration min, Duration max) {
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
    }

    /** How long the admission history is kept: enough to judge admission windows and the rate. */
    Duration historyRetention() {
        Duration longest = admissionWindow.compareTo(rateWindow) >= 0 ? admissionWindow : rateWindow;
        return longest.plus(advanceInterval.multipliedBy(4));
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getSecret() {
        return secret;
    }

    public void setSecret(@Nullable String secret) {
        this.secret = secret;
    }

    public Duration getTicketTtl() {
        return ticketTtl;
    }

    public void setTicketTtl(Duration ticketTtl) {
        this.ticketTtl = ticketTtl;
    }

    public Duration getAdmissionWindow() {
        return admissionWindow;
    }

    public void setAdmissionWindow(Duration admissionWindow) {
        this.admissionWindow = admissionWindow;
    }

    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    public Duration getMaxRefreshInterval() {
        return maxRefreshInterval;
    }

    public void setMaxRefreshInterval(Duration maxRefreshInterval) {
        this.maxRefreshInterval = maxRefreshInterval;
    }

    public long getMaxDepth() {
        return maxDepth;
    }

    public void setMaxDepth(long maxDepth) {
        this.maxDepth = maxDepth;
    }

    public Duration getAdvanceInterval() {
        return advanceInterval;
    }

    public void setAdvanceInterval(Duration advanceInterval) {
        this.advanceInterval = advanceInterval;
    }

    public Duration getRateWindow() {
        return rateWindow;
    }

    public void setRateWindow(Duration rateWindow) {
        this.rateWindow = rateWindow;
    }

    public Duration getRedisTimeout() {
        return redisTimeout;
    }

    public void setRedisTimeout(Duration redisTimeout) {
        this.redisTimeout = redisTimeout;
    }
}
