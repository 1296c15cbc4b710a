package dev.surge.gateway.agent;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;

/** The agent side of the queues, under {@code surge.agent}. */
@Validated
@ConfigurationProperties("surge.agent")
public class AgentProperties {

    public static final Duration DEFAULT_RESERVATION_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_PRESENCE_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_REAP_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_FEED_INTERVAL = Duration.ofMillis(500);

    /**
     * How long a claimed escalation stays reserved for its agent; not accepted by then, it goes back to its original
     * place in the queue. Default 30s, allowed 5s to 10m.
     */
    private Duration reservationTimeout = DEFAULT_RESERVATION_TIMEOUT;

    /**
     * An agent not heard from for this long (no request, no heartbeat, no open queue feed) is gone: whatever they
     * hold is reclaimed and goes back to its place. Default 2m, allowed 30s to 1h.
     */
    private Duration presenceTimeout = DEFAULT_PRESENCE_TIMEOUT;

    /** How often expired reservations and absent agents' escalations are looked for. Default 1s, allowed 100ms-1m. */
    private Duration reapInterval = DEFAULT_REAP_INTERVAL;

    /** Shortest time between two snapshots on the queue feed (SSE). Default 500ms, allowed 50ms to 10s. */
    private Duration feedInterval = DEFAULT_FEED_INTERVAL;

    @AssertTrue(message = "surge.agent: reservation-timeout 5s-10m, presence-timeout 30s-1h, reap-interval 100ms-1m, "
            + "feed-interval 50ms-10s")
    boolean isValid() {
        return within(reservationTimeout, Duration.ofSeconds(5), Duration.ofMinutes(10))
                && within(presenceTimeout, Duration.ofSeconds(30), Duration.ofHours(1))
                && within(reapInterval, Duration.ofMillis(100), Duration.ofMinutes(1))
                && within(feedInterval, Duration.ofMillis(50), Duration.ofSeconds(10));
    }

    private static boolean within(Duration value, Duration min, Duration max) {
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
    }

    public Duration getReservationTimeout() {
        return reservationTimeout;
    }

    public void setReservationTimeout(Duration reservationTimeout) {
        this.reservationTimeout = reservationTimeout;
    }

    public Duration getPresenceTimeout() {
        return presenceTimeout;
    }

    public void setPresenceTimeout(Duration presenceTimeout) {
        this.presenceTimeout = presenceTimeout;
    }

    public Duration getReapInterval() {
        return reapInterval;
    }

    public void setReapInterval(Duration reapInterval) {
        this.reapInterval = reapInterval;
    }

    public Duration getFeedInterval() {
        return feedInterval;
    }

    public void setFeedInterval(Duration feedInterval) {
        this.feedInterval = feedInterval;
    }
}
