package dev.surge.gateway.queue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The queue's meters: depth and oldest wait per skill (as last read by any queue figure request on this instance),
 * and the actual wait of accepted escalations against the estimate they were given. Named {@code surge.escalation.*}
 * as they were before the queue had a package of its own, so dashboards keep working.
 */
final class QueueMetrics {

    static final String QUEUE_DEPTH = "surge.escalation.queue.depth";
    static final String QUEUE_OLDEST = "surge.escalation.queue.oldest.seconds";
    static final String WAIT_ACTUAL = "surge.escalation.wait.actual";
    static final String WAIT_PREDICTION_ERROR = "surge.escalation.wait.prediction.error";

    private final MeterRegistry registry;
    private final Map<Skill, AtomicLong> depth = new EnumMap<>(Skill.class);
    private final Map<Skill, AtomicLong> oldest = new EnumMap<>(Skill.class);
    private final Timer actualWait;
    private final DistributionSummary waitedLonger;
    private final DistributionSummary waitedShorter;

    QueueMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Skill skill : Skill.values()) {
            AtomicLong d = new AtomicLong();
            AtomicLong o = new AtomicLong();
            depth.put(skill, d);
            oldest.put(skill, o);
            Gauge.builder(QUEUE_DEPTH, d, AtomicLong::get).tag("skill", skill.wire())
                    .description("Escalations waiting in the skill's queue").register(registry);
            Gauge.builder(QUEUE_OLDEST, o, AtomicLong::get).tag("skill", skill.wire()).baseUnit("seconds")
                    .description("How long the oldest waiting escalation has waited").register(registry);
        }
        actualWait = Timer.builder(WAIT_ACTUAL).description("Time from creation to an agent accepting")
                .publishPercentileHistogram().register(registry);
        // Micrometer summaries take no negative amounts, so the error is split by direction.
        waitedLonger = predictionError("longer");
        waitedShorter = predictionError("shorter");
    }

    private DistributionSummary predictionError(String direction) {
        return DistributionSummary.builder(WAIT_PREDICTION_ERROR).tag("actual", direction).baseUnit("seconds")
                .description("How far the actual wait was from the estimate given at creation")
                .publishPercentiles(0.5, 0.9, 0.99).register(registry);
    }

    void queue(Skill skill, long waiting, long oldestSeconds) {
        depth.get(skill).set(waiting);
        oldest.get(skill).set(oldestSeconds);
    }

    /** Actual wait of an accepted escalation against the estimate it was given. */
    void waited(Duration actual, Duration predicted) {
        actualWait.record(actual);
        Duration error = actual.minus(predicted);
        (error.isNegative() ? waitedShorter : waitedLonger).record(error.abs().toMillis() / 1000.0);
    }
}
