package dev.surge.gateway.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Latency and errors the simulator adds to its answers, globally or per endpoint, for load and chaos tests. The
 * settings are one immutable snapshot behind a volatile field: readers on the hot path take no lock.
 */
final class FaultInjector {

    static final int MAX_LATENCY_MS = 60_000;
    static final int MAX_FAIL_NEXT = 1_000_000;

    /**
     * One fault setting. {@code failNext} (per endpoint only) makes exactly the next N calls fail, before
     * {@code errorRate} applies: a deterministic failure, for tests of retries.
     */
    record Fault(int latencyMs, double errorRate, int failNext) {
        static final Fault NONE = new Fault(0, 0.0);

        Fault(int latencyMs, double errorRate) {
            this(latencyMs, errorRate, 0);
        }

        /** From JSON, where omitted members mean no fault (Jackson 3 refuses a missing primitive otherwise). */
        @JsonCreator
        static Fault of(@JsonProperty("latencyMs") @Nullable Integer latencyMs,
                        @JsonProperty("errorRate") @Nullable Double errorRate,
                        @JsonProperty("failNext") @Nullable Integer failNext) {
            return new Fault(latencyMs != null ? latencyMs : 0, errorRate != null ? errorRate : 0.0,
                    failNext != null ? failNext : 0);
        }
    }

    /** The JSON shape of {@code /demo/backoffice/faults}; omitted members mean no fault. */
    record Faults(@Nullable Integer latencyMs, @Nullable Double errorRate, @Nullable Map<String, Fault> endpoints) {
        static final Faults NONE = new Faults(0, 0.0, Map.of());
    }

    private volatile Faults current = Faults.NONE;
    // Derived from current when it is set, so the hot path allocates nothing.
    private volatile Fault global = Fault.NONE;
    // Calls still to fail per endpoint (from failNext); replaced whole with the settings.
    private volatile Map<String, AtomicInteger> failuresLeft = Map.of();

    Faults current() {
        return current;
    }

    /** Replaces every fault; invalid settings change nothing and say what is wrong. */
    void set(Faults faults) {
        int latency = faults.latencyMs() != null ? faults.latencyMs() : 0;
        double errorRate = faults.errorRate() != null ? faults.errorRate() : 0.0;
        check("", new Fault(latency, errorRate));
        Map<String, Fault> endpoints = new LinkedHashMap<>();
        Map<String, AtomicInteger> failures = new LinkedHashMap<>();
        if (faults.endpoints() != null) {
            faults.endpoints().forEach((name, fault) -> {
                if (!SimulatorStats.isEndpoint(name)) {
                    throw new IllegalArgumentException("unknown endpoint '" + name + "'; known: "
                            + String.join(", ", SimulatorStats.ENDPOINTS));
                }
                check(name + ".", fault);
                endpoints.put(name, fault);
                failures.put(name, new AtomicInteger(fault.failNext()));
            });
        }
        failuresLeft = Map.copyOf(failures);
        current = new Faults(latency, errorRate, Map.copyOf(endpoints));
        global = new Fault(latency, errorRate);
    }

    void reset() {
        failuresLeft = Map.of();
        current = Faults.NONE;
        global = Fault.NONE;
    }

    /** Whether this call to the endpoint fails: one of its next {@code failNext} calls, or by its error rate. */
    boolean shouldFail(String endpoint, Fault fault) {
        AtomicInteger left = failuresLeft.get(endpoint);
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return true;
        }
        return shouldFail(fault);
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
        if (fault.failNext() < 0 || fault.failNext() > MAX_FAIL_NEXT) {
            throw new IllegalArgumentException(prefix + "failNext must be between 0 and " + MAX_FAIL_NEXT);
        }
    }
}
