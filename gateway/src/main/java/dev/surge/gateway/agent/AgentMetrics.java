package dev.surge.gateway.agent;

import dev.surge.gateway.core.TaggedCounters;
import dev.surge.gateway.queue.EscalationQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Agent-side meters: claims (offered or nothing waiting), each step, expired reservations and reclaims. */
final class AgentMetrics {

    static final String CLAIMS = "surge.agent.claims";
    static final String STEPS = "surge.agent.steps";
    static final String RESERVATIONS_EXPIRED = "surge.agent.reservations.expired";
    static final String RECLAIMS = "surge.agent.reclaims";

    private final TaggedCounters counters;
    private final Counter expired;
    private final Counter reclaimed;

    AgentMetrics(MeterRegistry registry) {
        this.counters = new TaggedCounters(registry);
        this.expired = registry.counter(RESERVATIONS_EXPIRED);
        this.reclaimed = registry.counter(RECLAIMS);
    }

    void claim(String outcome) {
        counters.get(CLAIMS, "outcome", outcome).increment();
    }

    void step(String step) {
        counters.get(STEPS, "step", step).increment();
    }

    void reaped(EscalationQueue.Reaped reaped) {
        expired.increment(reaped.expired());
        reclaimed.increment(reaped.reclaimed());
    }
}
