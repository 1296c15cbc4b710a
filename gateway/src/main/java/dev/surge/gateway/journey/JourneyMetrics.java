package dev.surge.gateway.journey;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The journey's one meter: steps it could not keep (buffer full, or Redis away at the flush). */
final class JourneyMetrics {

    /** Named as it was while the journey lived in the escalation package, so dashboards keep working. */
    static final String DROPPED = "surge.escalation.journey.dropped";

    private final Counter dropped;

    JourneyMetrics(MeterRegistry registry) {
        this.dropped = Counter.builder(DROPPED).description("Journey steps dropped (buffer full or Redis away)")
                .register(registry);
    }

    void dropped(int entries) {
        dropped.increment(entries);
    }
}
