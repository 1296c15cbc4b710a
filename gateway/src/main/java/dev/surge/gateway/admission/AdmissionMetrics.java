package dev.surge.gateway.admission;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code surge.admission.requests{priority,outcome}}, and gauges of the limit and the requests in flight. */
final class AdmissionMetrics {

    private final Map<Priority, Counter> admitted = new EnumMap<>(Priority.class);
    private final Map<Priority, Counter> shed = new EnumMap<>(Priority.class);

    AdmissionMetrics(MeterRegistry registry, PriorityLimiter limiter) {
        for (Priority priority : Priority.values()) {
            admitted.put(priority, counter(registry, priority, "admitted"));
            shed.put(priority, counter(registry, priority, "shed"));
        }
        Gauge.builder("surge.admission.limit", limiter, PriorityLimiter::limit)
                .description("Current adaptive concurrency limit").register(registry);
        Gauge.builder("surge.admission.inflight", limiter, PriorityLimiter::inflight)
                .description("Admitted requests in flight").register(registry);
    }

    private static Counter counter(MeterRegistry registry, Priority priority, String outcome) {
        return Counter.builder("surge.admission.requests")
                .description("Requests admitted or shed by adaptive admission")
                .tag("priority", priority.key())
                .tag("outcome", outcome)
                .register(registry);
    }

    void admitted(Priority priority) {
        admitted.get(priority).increment();
    }

    void shed(Priority priority) {
        shed.get(priority).increment();
    }
}
