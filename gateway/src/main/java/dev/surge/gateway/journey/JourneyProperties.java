package dev.surge.gateway.journey;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import dev.surge.gateway.core.Durations;

/**
 * The self-service journey recorded per customer for the hand-off, under {@code surge.escalation.journey} (the name
 * it had while the journey lived in the escalation package; it exists for the hand-off).
 *
 * @param enabled whether the journey is recorded at all. Default true.
 * @param size requests kept per customer (the newest). Default 20, allowed 1 to 200.
 * @param ttl how long a journey is kept after the customer's last request. Default 24h, allowed 1m to 7d.
 * @param flushInterval longest a recorded request waits before it is written to Redis (until then only this
 *                      instance sees it). The writes are spread over the interval, an eighth of the customers at a
 *                      time, up to 64 customers per script call; a longer interval lets a busy customer's requests
 *                      share one write. Default 2s, allowed 10ms to 10s.
 * @param maxBufferedCustomers most customers with unwritten entries held in memory (an eighth of it per flush
 *                             slice); beyond it new entries are dropped (and counted) until the next flush. Default
 *                             100000, allowed 100 to 10000000.
 * @param redisTimeout longest wait on Redis for a journey write or read; the hand-off marks the journey missing
 *                     past it. Default 300ms, allowed 10ms to 5s.
 */
@Validated
@ConfigurationProperties("surge.escalation.journey")
public record JourneyProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20")
        @Min(value = 1, message = "surge.escalation.journey.size must be between 1 and 200")
        @Max(value = 200, message = "surge.escalation.journey.size must be between 1 and 200") int size,
        @DefaultValue("24h") Duration ttl,
        @DefaultValue("2s") Duration flushInterval,
        @DefaultValue("100000")
        @Min(value = 100, message = "surge.escalation.journey.max-buffered-customers must be 100 to 10000000")
        @Max(value = 10_000_000, message = "surge.escalation.journey.max-buffered-customers must be 100 to 10000000")
        int maxBufferedCustomers,
        @DefaultValue("300ms") Duration redisTimeout) {

    public static final int DEFAULT_SIZE = 20;
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_BUFFERED_CUSTOMERS = 100_000;
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(300);

    /** Every default, as a fresh application binds them. */
    public static JourneyProperties defaults() {
        return new JourneyProperties(true, DEFAULT_SIZE, DEFAULT_TTL, DEFAULT_FLUSH_INTERVAL,
                DEFAULT_MAX_BUFFERED_CUSTOMERS, DEFAULT_REDIS_TIMEOUT);
    }

    @AssertTrue(message = "surge.escalation.journey: ttl 1m-7d, flush-interval 10ms-10s, redis-timeout 10ms-5s")
    boolean isValid() {
        return Durations.within(ttl, Duration.ofMinutes(1), Duration.ofDays(7))
                && Durations.within(flushInterval, Duration.ofMillis(10), Duration.ofSeconds(10))
                && Durations.within(redisTimeout, Duration.ofMillis(10), Duration.ofSeconds(5));
    }
}
