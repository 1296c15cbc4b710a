package dev.surge.gateway.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Latency and errors the simulator adds to its answers, globally, per endpoint, per endpoint and method
 * ({@code "returns:POST"}) or for every write ({@code "writes"}), for load and chaos tests. The most specific setting
 * applies: endpoint and method, endpoint, writes (POST and PUT only), global. The settings are one immutable snapshot
 * behind a volatile field: readers on the hot path take no lock.
 */
final class FaultInjector {

    static final int MAX_LATENCY_MS = 60_000;
    static final int MAX_FAIL_NEXT = 1_000_000;

    /** The key of the setting for every write. */
    static final String WRITES = "writes";

    /**
     * One fault setting. {@code failNext} (not global) makes exactly the next N calls fail, before
     * {@code errorRate} applies: a deterministic failure, for tests of retries. A failed read or write answers 503
     * before anything is done. With {@code afterApply} (writes only) the write is made first, then the latency is
     * spent and a failure answers 502: the change is made but its answer comes late or is lost, the case an
     * Idempotency-Key exists for.
     */
    record Fault(int latencyMs, double errorRate, int failNext, boolean afterApply) {
        static final Fault NONE = new Fault(0, 0.0);

        Fault(int latencyMs, double errorRate) {
            this(latencyMs, errorRate, 0);
        }

        Fault(int latencyMs, double errorRate, int failNext) {
            this(latencyMs, errorRate, failNext, false);
        }

        /** From JSON, where omitted members mean no fault (Jackson 3 refuses a missing primitive otherwise). */
        @JsonCreator
        static Fault of(@JsonProperty("latencyMs") @Nullable Integer latencyMs,
                        @JsonProperty("errorRate") @Nullable Double errorRate,
                        @JsonProperty("failNext") @Nullable Integer failNext,
                        @JsonProperty("afterApply") @Nullable Boolean afterApply) {
            return new Fault(latencyMs != null ? latencyMs : 0, errorRate != null ? errorRate : 0.0,
                    failNext != null ? failNext : 0, afterApply != null && afterApply);
        }
    }

    /** The JSON shape of {@code /demo/backoffice/faults}; omitted members mean no fault. */
    record Faults(@Nullable Integer latencyMs, @Nullable Double errorRate, @Nullable Map<String, Fault> endpoints,
                  @Nullable Fault writes) {
        static final Faults NONE = new Faults(0, 0.0, Map.of(), null);

        Faults(@Nullable Integer latencyMs, @Nullable Double errorRate, @Nullable Map<String, Fault> endpoints) {
            this(latencyMs, errorRate, endpoints, null);
        }
    }

    private volatile Faults current = Faults.NONE;
    // Derived from current when it is set, so the hot path allocates nothing.
    private volatile Fault global = Fault.NONE;
    // Every setting but the global one, by key (endpoint, endpoint:METHOD, writes).
    private volatile Map<String, Fault> keyed = Map.of();
    // Calls still to fail per key (from failNext); replaced whole with the settings.
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
                if (!isKey(name)) {
                    throw new IllegalArgumentException("unknown endpoint '" + name + "'; known: "
                            + String.join(", ", SimulatorStats.ENDPOINTS) + ", each also as <endpoint>:<METHOD> "
                            + "such as returns:POST");
                }
                check(name + ".", fault);
                if (fault.afterApply() && !takesWrites(name)) {
                    throw new IllegalArgumentException(name + ".afterApply applies to writes only");
                }
                endpoints.put(name, fault);
                failures.put(name, new AtomicInteger(fault.failNext()));
            });
        }
        Map<String, Fault> all = new LinkedHashMap<>(endpoints);
        if (faults.writes() != null) {
            check(WRITES + ".", faults.writes());
            all.put(WRITES, faults.writes());
            failures.put(WRITES, new AtomicInteger(faults.writes().failNext()));
        }
        failuresLeft = Map.copyOf(failures);
        keyed = Map.copyOf(all);
        current = new Faults(latency, errorRate, Map.copyOf(endpoints), faults.writes());
        global = new Fault(latency, errorRate);
    }

    void reset() {
        failuresLeft = Map.of();
        keyed = Map.of();
        current = Faults.NONE;
        global = Fault.NONE;
    }

    /**
     * The key whose setting applies to a call: {@code endpoint:METHOD}, else {@code endpoint}, else (for a write)
     * {@code writes}, each if set; else the endpoint itself, which then falls back to the global setting.
     */
    String keyFor(String endpoint, String method) {
        Map<String, Fault> set = keyed;
        String exact = endpoint + ":" + method;
        if (set.containsKey(exact)) {
            return exact;
        }
        if (!set.containsKey(endpoint) && SimulatorStats.isWrite(method) && set.containsKey(WRITES)) {
            return WRITES;
        }
        return endpoint;
    }

    private static boolean takesWrites(String key) {
        int colon = key.indexOf(':');
        return colon >= 0 ? SimulatorStats.isWrite(key.substring(colon + 1))
                : SimulatorStats.METHODS.get(key).stream().anyMatch(SimulatorStats::isWrite);
    }

    private static boolean isKey(String name) {
        int colon = name.indexOf(':');
        if (colon < 0) {
            return SimulatorStats.isEndpoint(name);
        }
        String endpoint = name.substring(0, colon);
        return SimulatorStats.isEndpoint(endpoint)
                && SimulatorStats.METHODS.get(endpoint).contains(name.substring(colon + 1));
    }

    /** Whether this call to the endpoint fails: one of its next {@code failNext} calls, or by its error rate. */
    boolean shouldFail(String endpoint, Fault fault) {
        AtomicInteger left = failuresLeft.get(endpoint);
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return true;
        }
        return shouldFail(fault);
    }

    /** The fault that applies to a key ({@link #keyFor}, or an endpoint): its own if set, else the global one. */
    Fault faultFor(String key) {
        Fault own = keyed.get(key);
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
