package dev.surge.gateway.conversation;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;

import dev.surge.gateway.core.Durations;

/**
 * The conversation on an escalation, under {@code surge.conversation}. How long it is kept is the escalation's own
 * retention ({@code surge.escalation.retention}).
 *
 * @param maxLength longest message in characters (UTF-16 units, as a browser counts). Default 2000, allowed 1 to
 *                  10000.
 * @param maxEntries entries kept per conversation (messages and events; older ones are trimmed, approximately).
 *                   Default 1000, allowed 10 to 100000.
 * @param rateLimit messages one sender may send to one conversation per {@code rateWindow}. Default 10, allowed 1
 *                  to 1000.
 * @param rateWindow the window of {@code rateLimit}. Default 10s, allowed 1s to 1h.
 * @param poll how often a follower reads the stream even when no notice came (a notice lost with a Redis
 *             reconnect costs at most this long). Default 5s, allowed 100ms to 1m.
 * @param sseHeartbeat keep-alive comment interval on a quiet stream. Default 15s, allowed 1s to 5m.
 */
@Validated
@ConfigurationProperties("surge.conversation")
public record ConversationProperties(
        @DefaultValue("2000") int maxLength,
        @DefaultValue("1000") int maxEntries,
        @DefaultValue("10") int rateLimit,
        @DefaultValue("10s") Duration rateWindow,
        @DefaultValue("5s") Duration poll,
        @DefaultValue("15s") Duration sseHeartbeat) {

    public static final int DEFAULT_MAX_LENGTH = 2000;
    public static final int DEFAULT_MAX_ENTRIES = 1000;
    public static final int DEFAULT_RATE_LIMIT = 10;
    public static final Duration DEFAULT_RATE_WINDOW = Duration.ofSeconds(10);
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SSE_HEARTBEAT = Duration.ofSeconds(15);

    @AssertTrue(message = "surge.conversation: max-length 1-10000, max-entries 10-100000, rate-limit 1-1000, "
            + "rate-window 1s-1h, poll 100ms-1m, sse-heartbeat 1s-5m")
    boolean isValid() {
        return maxLength >= 1 && maxLength <= 10_000
                && maxEntries >= 10 && maxEntries <= 100_000
                && rateLimit >= 1 && rateLimit <= 1000
                && Durations.within(rateWindow, Duration.ofSeconds(1), Duration.ofHours(1))
                && Durations.within(poll, Duration.ofMillis(100), Duration.ofMinutes(1))
                && Durations.within(sseHeartbeat, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }
}
