package dev.surge.gateway.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;

import dev.surge.gateway.core.Durations;

/**
 * Idempotency-Keys of self-service actions, under {@code surge.idempotency} (escalations keep theirs with the
 * escalation, {@code surge.escalation.idempotency-ttl}, stored by the enqueue script itself).
 *
 * @param ttl how long a key and its final answer are kept. Default 24h, allowed 1m to 7d.
 * @param workingTtl how long a key is held while its write runs; longer than any write may take (the back office's
 *                   time limit), so a retry during the write is told 409, and short enough that a key whose
 *                   instance died is free again soon. Default 30s, allowed 1s to 10m.
 * @param redisTimeout longest wait on Redis for a key; past it the write goes on without the gateway's record and
 *                     the back office's own Idempotency-Key check is what keeps it single. Default 300ms, allowed
 *                     10ms to 5s.
 */
@Validated
@ConfigurationProperties("surge.idempotency")
public record IdempotencyProperties(
        @DefaultValue("24h") Duration ttl,
        @DefaultValue("30s") Duration workingTtl,
        @DefaultValue("300ms") Duration redisTimeout) {

    @AssertTrue(message = "surge.idempotency: ttl 1m-7d, working-ttl 1s-10m, redis-timeout 10ms-5s")
    boolean isValid() {
        return Durations.within(ttl, Duration.ofMinutes(1), Duration.ofDays(7))
                && Durations.within(workingTtl, Duration.ofSeconds(1), Duration.ofMinutes(10))
                && Durations.within(redisTimeout, Duration.ofMillis(10), Duration.ofSeconds(5));
    }
}
