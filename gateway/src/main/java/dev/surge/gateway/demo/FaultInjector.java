package dev.surge.gateway.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * Latency and errors the simulator adds to its answers, globally or per endpoint, for load and chaos tests. The
 * settings are one immutable snapshot behind a volatile field: readers on the hot path take no lock.
 */
final class FaultInjector {

    static final int MAX_LATENCY_MS = 60_000;

    /** One fault setting. */
    record Fault(int latencyMs, double errorRate) {
        static final Fault NONE = new Fault(0, 0.0);
    }

    /** The JSON shape of {@code /demo/backoffice/faults}; omitted members mean no fault. */
    record Faults(@Nullable Integer latencyMs, @Nullable Double errorRate, @Nullable Map<String, Fault> endpoints) {
        static final Faults NONE = new Faults(0, 0.0, Map.of());
    }

    private volatile Faults current = Faults.NONE;
    // Derived from current when it is set, so the hot path allocates nothing.
    private volatile Fault global = Fault.NONE;

    Faults current() {
        return current;
    }

    /** Replaces every fault; invalid settings change nothing and say what is wrong. */
    void set(Faults faults) {
        int latency = faults.latencyMs() != null ? faults.latencyMs() : 0;
        double errorRate = faults.errorRate() != null ? faults.errorRate() : 0.0;
        check("", new Fault(latency, errorRate));
        Map<String, Fault> endpoints = new LinkedHashMap<>();
        if (faults.endpoints() != null) {
            faults.endpoints().forEach((name, fault) -> {
                if (!SimulatorStats.isEndpoint(name)) {
                    throw new IllegalArgumentException("unknown endpoint '" + name + "'; known: "
                            + String.join(", ", SimulatorStats.ENDPOINTS));
                }
                check(name + ".", fault);
                endpoints.put(name, fault);
            });
        }
        current = new Faults(latency, errorRate, Map.copyOf(endpoints));
        global = new Fault(latency, errorRate);
    }

    void reset() {
        current = Faults.NONE;
        global = Fault.NONE;
    }

    /** The fault that applies to an endpoint: its own if set, else the global one. */
    Fault faultFor(String endpoint) {
        Map<String, Fault> endpoints = current.endpoints();
        Fault own = endpoints != null ? endpoints.get(endpoint) : null;
        return own != null ? own : global;
    }

    static boolean shouldFail(Fault fault) {
        return fault.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < fault.errorRate();
    }

    private static void check(String prefix, Fault fault) {
        if (fault.latencyMs() < 0 || fault.latencyMs() > MAX_LATENCY_MS) {
            throw new IllegalArgumentException(prefix + "latencyMs must be between 0 and " + MAX_LATENCY_MS);
        }
        if (!(fault.errorRate() >= 0.0 && fault.errorRate() <= 1.0)) {
            throw new IllegalArgumentException(prefix + "errorRate must be between 0.0 and 1.0");
        }
    }
}
