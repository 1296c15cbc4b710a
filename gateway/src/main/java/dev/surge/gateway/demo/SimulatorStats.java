package dev.surge.gateway.demo;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * What each simulated back-office endpoint received, per method, and how its writes ended (applied, replayed for a
 * repeated Idempotency-Key, refused): what load, cache and action tests read to count calls, and to assert that a
 * retried write changed the back office exactly once.
 */
final class SimulatorStats {

    /** Every endpoint and the methods it answers; the key set is fixed, so counting takes no lock. */
    static final Map<String, List<String>> METHODS = methods();
    static final String[] ENDPOINTS = METHODS.keySet().toArray(String[]::new);

    private final Map<String, LongAdder> calls = new LinkedHashMap<>();
    private final Map<String, Map<String, LongAdder>> byMethod = new LinkedHashMap<>();
    private final Map<String, Map<DemoBackOffice.Outcome, LongAdder>> writes = new LinkedHashMap<>();

    SimulatorStats() {
        METHODS.forEach((endpoint, methods) -> {
            calls.put(endpoint, new LongAdder());
            Map<String, LongAdder> counts = new LinkedHashMap<>();
            methods.forEach(method -> counts.put(method, new LongAdder()));
            byMethod.put(endpoint, counts);
            if (methods.stream().anyMatch(SimulatorStats::isWrite)) {
                Map<DemoBackOffice.Outcome, LongAdder> outcomes = new EnumMap<>(DemoBackOffice.Outcome.class);
                for (DemoBackOffice.Outcome outcome : DemoBackOffice.Outcome.values()) {
                    outcomes.put(outcome, new LongAdder());
                }
                writes.put(endpoint, outcomes);
            }
        });
    }

    private static Map<String, List<String>> methods() {
        Map<String, List<String>> methods = new LinkedHashMap<>();
        for (String read : new String[] {"customers", "accounts", "orders", "order", "shipments", "inventory",
            "eligibility", "return"}) {
            methods.put(read, List.of("GET"));
        }
        methods.put("returns", List.of("GET", "POST"));
        methods.put("cancellation", List.of("POST"));
        methods.put("address", List.of("PUT"));
        methods.put("preferences", List.of("GET", "PUT"));
        return Collections.unmodifiableMap(methods);
    }

    static boolean isWrite(String method) {
        return !method.equals("GET");
    }

    /** Paths noted at most; past this the notes start over (the simulator is for demos and tests). */
    static final int MAX_TRACEPARENTS = 1000;
    private final Map<String, String> traceparents = new java.util.concurrent.ConcurrentHashMap<>();

    /** Notes the last {@code traceparent} a request on this method and path carried; always false (see the caller). */
    boolean sawTraceparent(String request, @Nullable String traceparent) {
        if (traceparent != null) {
            if (traceparents.size() >= MAX_TRACEPARENTS) {
                traceparents.clear();
            }
            traceparents.put(request, traceparent);
        }
        return false;
    }

    /** The last traceparent per {@code "METHOD /path"} received with one. */
    Map<String, String> traceparents() {
        return Map.copyOf(traceparents);
    }

    /** A GET received. */
    void count(String endpoint) {
        count(endpoint, "GET");
    }

    void count(String endpoint, String method) {
        calls.get(endpoint).increment();
        byMethod.get(endpoint).get(method).increment();
    }

    /** How a write received on the endpoint ended. */
    void wrote(String endpoint, DemoBackOffice.Outcome outcome) {
        writes.get(endpoint).get(outcome).increment();
    }

    Snapshot snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Map<String, Long>> methods = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, LongAdder> entry : calls.entrySet()) {
            long n = entry.getValue().sum();
            counts.put(entry.getKey(), n);
            total += n;
            Map<String, Long> perMethod = new LinkedHashMap<>();
            byMethod.get(entry.getKey()).forEach((method, adder) -> perMethod.put(method, adder.sum()));
            methods.put(entry.getKey(), perMethod);
        }
        Map<String, Map<String, Long>> outcomes = new LinkedHashMap<>();
        writes.forEach((endpoint, perOutcome) -> {
            Map<String, Long> counted = new LinkedHashMap<>();
            perOutcome.forEach((outcome, adder) -> counted.put(WriteRequests.wireName(outcome), adder.sum()));
            outcomes.put(endpoint, counted);
        });
        return new Snapshot(total, counts, methods, outcomes);
    }

    void reset() {
        traceparents.clear();
        calls.values().forEach(LongAdder::reset);
        byMethod.values().forEach(m -> m.values().forEach(LongAdder::reset));
        writes.values().forEach(m -> m.values().forEach(LongAdder::reset));
    }

    static boolean isEndpoint(String name) {
        return METHODS.containsKey(name);
    }

    /**
     * {@code {"total": N, "calls": {"<endpoint>": N, ...}, "methods": {"<endpoint>": {"GET": N, ...}, ...},
     * "writes": {"<endpoint>": {"applied": N, "replayed": N, "refused": N}, ...}}}.
     */
    record Snapshot(long total, Map<String, Long> calls, Map<String, Map<String, Long>> methods,
                    Map<String, Map<String, Long>> writes) {
    }
}
