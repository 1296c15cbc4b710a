package dev.surge.gateway.escalation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.core.TaggedCounters;

/**
 * The intake's meters (the queue's own, depth and waits, are in {@code queue.QueueMetrics}).
 * {@code surge.escalation.created{channel,reason,stored}} is the key business figure: how many contacts reach a
 * person, from which channel (web-originated ones are what self-service failed to answer).
 */
final class EscalationMetrics {

    static final String CREATED = "surge.escalation.created";
    static final String IDEMPOTENT_REPLAYS = "surge.escalation.idempotency.replays";
    static final String ABANDONED = "surge.escalation.abandoned";
    static final String SPOOL_WRITES = "surge.escalation.spool.writes";
    static final String SPOOL_REPLAYS = "surge.escalation.spool.replays";
    static final String CONTEXT_MISSING = "surge.escalation.context.missing";

    private final TaggedCounters counters;

    EscalationMetrics(MeterRegistry registry) {
        this.counters = new TaggedCounters(registry);
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

    private Counter counter(String name, String... tags) {
        return counters.get(name, tags);
    }
}
