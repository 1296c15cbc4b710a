package dev.surge.gateway.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How many calls each simulated back-office endpoint received: what load and cache tests read to count calls. */
final class SimulatorStats {

    static final String[] ENDPOINTS = {"customers", "accounts", "orders", "order", "shipments", "inventory"};

    private final Map<String, LongAdder> calls = new LinkedHashMap<>();

    SimulatorStats() {
        for (String endpoint : ENDPOINTS) {
            calls.put(endpoint, new LongAdder()); // fixed key set: reads need no lock
        }
    }

    void count(String endpoint) {
        calls.get(endpoint).increment();
    }

    Snapshot snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, LongAdder> entry : calls.entrySet()) {
            long n = entry.getValue().sum();
            counts.put(entry.getKey(), n);
            total += n;
        }
        return new Snapshot(total, counts);
    }

    void reset() {
        calls.values().forEach(LongAdder::reset);
    }

    static boolean isEndpoint(String name) {
        for (String endpoint : ENDPOINTS) {
            if (endpoint.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code {"total": N, "calls": {"<endpoint>": N, ...}}}. */
    record Snapshot(long total, Map<String, Long> calls) {
    }
}
