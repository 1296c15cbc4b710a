package dev.surge.gateway.escalation;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;

import dev.surge.gateway.core.Durations;

/**
 * The escalation intake and customer API, under {@code surge.escalation}. The queue's settings share the prefix
 * ({@code queue.QueueProperties}: Redis timeout, idempotency TTL, retention, boosts, history) and the journey's sit
 * under {@code surge.escalation.journey} ({@code journey.JourneyProperties}).
 *
 * @param contextTimeout longest wait for each part of the hand-off context (profile, account, order, shipment,
 *                       journey); a part that is not there in time is marked missing, never failing the escalation.
 *                       Default 800ms, allowed 50ms to 5s.
 * @param spoolDir directory of the append-only spool used while Redis cannot be reached. Shared by the instances of
 *                 one host (each writes its own locked file, and replays the files of instances that are gone).
 *                 Default {@code ${java.io.tmpdir}/surge-escalation-spool}.
 * @param spoolReplayInterval how often the spool is checked and replayed into Redis. Default 2s, allowed 100ms to
 *                            5m.
 * @param sseHeartbeat interval of keep-alive comments on SSE streams, so proxies keep them open. Default 15s,
 *                     allowed 1s to 5m.
 */
@Validated
@ConfigurationProperties("surge.escalation")
public record EscalationProperties(
        @DefaultValue("800ms") Duration contextTimeout,
        @Nullable Path spoolDir,
        @DefaultValue("2s") Duration spoolReplayInterval,
        @DefaultValue("15s") Duration sseHeartbeat) {

    public static final Duration DEFAULT_CONTEXT_TIMEOUT = Duration.ofMillis(800);
    public static final Duration DEFAULT_SPOOL_REPLAY_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SSE_HEARTBEAT = Duration.ofSeconds(15);

    public EscalationProperties {
        if (spoolDir == null) {
            spoolDir = Path.of(System.getProperty("java.io.tmpdir"), "surge-escalation-spool");
        }
    }

    /** The spool's directory (never null once bound). */
    @Override
    public Path spoolDir() {
        return java.util.Objects.requireNonNull(spoolDir);
    }

    @AssertTrue(message = "surge.escalation: context-timeout 50ms-5s, spool-replay-interval 100ms-5m, "
            + "sse-heartbeat 1s-5m")
    boolean isValid() {
        return Durations.within(contextTimeout, Duration.ofMillis(50), Duration.ofSeconds(5))
                && Durations.within(spoolReplayInterval, Duration.ofMillis(100), Duration.ofMinutes(5))
                && Durations.within(sseHeartbeat, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }
}
