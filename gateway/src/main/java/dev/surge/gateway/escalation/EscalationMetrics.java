package dev.surge.gateway.escalation;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The escalation meters. {@code surge.escalation.created{channel,reason,stored}} is the key business figure: how many
 * contacts reach a person, from which channel (web-originated ones are what self-service failed to answer).
 */
final class EscalationMetrics {

    static final String CREATED = "surge.escalation.created";
    static final String IDEMPOTENT_REPLAYS = "surge.escalation.idempotency.replays";
    static final String ABANDONED = "surge.escalation.abandoned";
    static final String SPOOL_WRITES = "surge.escalation.spool.writes";
    static final String SPOOL_REPLAYS = "surge.escalation.spool.replays";
    static final String CONTEXT_MISSING = "surge.escalation.context.missing";
    static final String JOURNEY_DROPPED = "surge.escalation.journey.dropped";
    static final String QUEUE_DEPTH = "surge.escalation.queue.depth";
    static final String QUEUE_OLDEST = "surge.escalation.queue.oldest.seconds";
    static final String WAIT_ACTUAL = "surge.escalation.wait.actual";
    static final String WAIT_PREDICTION_ERROR = "surge.escalation.wait.prediction.error";

    private final MeterRegistry registry;
    private final TaggedCounters counters;
    private final Map<Skill, AtomicLong> depth = new EnumMap<>(Skill.class);
    private final Map<Skill, AtomicLong> oldest = new EnumMap<>(Skill.class);
    private final Timer actualWait;
    private final DistributionSummary waitedLonger;
    private final DistributionSummary waitedShorter;

    EscalationMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.counters = new TaggedCounters(registry);
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

    void created(String channel, String reason, boolean spooled) {
        counter(CREATED, "channel", channel, "reason", reason, "stored", spooled ? "spool" : "redis").increment();
    }

    void idempotentReplay() {
        counter(IDEMPOTENT_REPLAYS).increment();
    }

    void abandoned() {
        counter(ABANDONED).increment();
    }

    void spoolWrite() {
        counter(SPOOL_WRITES).increment();
    }

    void spoolReplayed(int records) {
        counter(SPOOL_REPLAYS).increment(records);
    }

    void contextMissing(String part) {
        counter(CONTEXT_MISSING, "part", part).increment();
    }

    void journeyDropped(int entries) {
        counter(JOURNEY_DROPPED).increment(entries);
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

    private Counter counter(String name, String... tags) {
        return counters.get(name, tags);
    }
}
