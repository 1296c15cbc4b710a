package dev.surge.gateway.queue;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import dev.surge.gateway.core.Durations;
import dev.surge.gateway.identity.Tier;

/**
 * The agent queues in Redis, under {@code surge.escalation} (the names they had before the queue had a package of
 * its own; the escalation intake's settings share the prefix, see {@code EscalationProperties}).
 *
 * @param redisTimeout longest wait on Redis for a queue step; past it an escalation goes to the local spool and is
 *                     still accepted, and an agent step answers 503. Default 300ms, allowed 10ms to 5s.
 * @param idempotencyTtl how long an Idempotency-Key and its answer are kept. Default 24h, allowed 1m to 7d.
 * @param retention how long a resolved or abandoned escalation stays readable. Default 30d, allowed 1h to 365d.
 * @param defaultHandleTime average handle time assumed for a skill until escalations of it were resolved. Default
 *                          5m, allowed 1s to 8h.
 * @param handleTimeWeight weight of the newest handle time in the average (exponentially weighted). Default 0.2,
 *                         allowed 0.01 to 1.
 * @param platinumBoost head start of platinum customers in the queue (docs/escalation.md). Default 300s, allowed 0
 *                      to 1h.
 * @param goldBoost head start of gold customers in the queue. Default 120s, allowed 0 to the platinum boost.
 * @param activeAgentWindow an agent who claimed, acted or sent a heartbeat within this window counts as active for
 *                          estimated waits and queue figures. Default 5m, allowed 10s to 1h.
 * @param history the customer's earlier escalations, under {@code surge.escalation.history}
 */
@Validated
@ConfigurationProperties("surge.escalation")
public record QueueProperties(
        @DefaultValue("300ms") Duration redisTimeout,
        @DefaultValue("24h") Duration idempotencyTtl,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("5m") Duration defaultHandleTime,
        @DefaultValue("0.2") double handleTimeWeight,
        @DefaultValue("300s") Duration platinumBoost,
        @DefaultValue("120s") Duration goldBoost,
        @DefaultValue("5m") Duration activeAgentWindow,
        @DefaultValue @Valid History history) {

    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(300);
    public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final Duration DEFAULT_HANDLE_TIME = Duration.ofMinutes(5);
    public static final double DEFAULT_HANDLE_TIME_WEIGHT = 0.2;
    public static final Duration DEFAULT_PLATINUM_BOOST = Duration.ofSeconds(300);
    public static final Duration DEFAULT_GOLD_BOOST = Duration.ofSeconds(120);
    public static final Duration DEFAULT_ACTIVE_AGENT_WINDOW = Duration.ofMinutes(5);

    /** Every default, as a fresh application binds them. */
    public static QueueProperties defaults() {
        return new QueueProperties(DEFAULT_REDIS_TIMEOUT, DEFAULT_IDEMPOTENCY_TTL, DEFAULT_RETENTION,
                DEFAULT_HANDLE_TIME, DEFAULT_HANDLE_TIME_WEIGHT, DEFAULT_PLATINUM_BOOST, DEFAULT_GOLD_BOOST,
                DEFAULT_ACTIVE_AGENT_WINDOW, new History(History.DEFAULT_WINDOW, History.DEFAULT_SIZE));
    }

    /**
     * The customer's earlier escalations, kept per customer and shown to the agent with each new one (and used by
     * the repeat-escalation notification rules).
     *
     * @param window how far back earlier escalations count; notification rules' {@code repeat-within} may not be
     *               longer. Default 7d, allowed 1m to 90d.
     * @param size earlier escalations kept and shown per customer (the newest). Default 10, allowed 1 to 100.
     */
    public record History(
            @DefaultValue("7d") Duration window,
            @DefaultValue("10")
            @Min(value = 1, message = "surge.escalation.history.size must be between 1 and 100")
            @Max(value = 100, message = "surge.escalation.history.size must be between 1 and 100") int size) {

        public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
        public static final int DEFAULT_SIZE = 10;
    }

    /** The tier's head start in the queue (docs/escalation.md: score = created − boost, lowest first), in ms. */
    public long boostMillis(Tier tier) {
        return switch (tier) {
            case PLATINUM -> platinumBoost.toMillis();
            case GOLD -> goldBoost.toMillis();
            case STANDARD -> 0;
        };
    }

    @AssertTrue(message = "surge.escalation: redis-timeout 10ms-5s, idempotency-ttl 1m-7d, retention 1h-365d, "
            + "default-handle-time 1s-8h, handle-time-weight 0.01-1, platinum-boost 0-1h, gold-boost 0 up to the "
            + "platinum-boost, active-agent-window 10s-1h, history.window 1m-90d")
    boolean isValid() {
        return Durations.within(redisTimeout, Duration.ofMillis(10), Duration.ofSeconds(5))
                && Durations.within(idempotencyTtl, Duration.ofMinutes(1), Duration.ofDays(7))
                && Durations.within(retention, Duration.ofHours(1), Duration.ofDays(365))
                && Durations.within(defaultHandleTime, Duration.ofSeconds(1), Duration.ofHours(8))
                && handleTimeWeight >= 0.01 && handleTimeWeight <= 1
                && Durations.within(platinumBoost, Duration.ZERO, Duration.ofHours(1))
                && Durations.within(goldBoost, Duration.ZERO, platinumBoost)
                && Durations.within(activeAgentWindow, Duration.ofSeconds(10), Duration.ofHours(1))
                && Durations.within(history.window, Duration.ofMinutes(1), Duration.ofDays(90));
    }
}
