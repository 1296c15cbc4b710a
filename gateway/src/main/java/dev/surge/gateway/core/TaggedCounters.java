package dev.surge.gateway.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters by name and tags, each registered once and then only incremented. */
public final class TaggedCounters {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public TaggedCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The counter; tags are name, value pairs. */
    public Counter get(String name, String... tags) {
        return counters.computeIfAbsent(name + '|' + String.join("|", tags), key -> registry.counter(name, tags));
    }
}
