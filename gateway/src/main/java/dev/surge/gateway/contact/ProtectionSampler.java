package dev.surge.gateway.contact;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The protection figures are counters each instance already keeps (the cache's, the rate limiter's, admission's,
 * Resilience4j's breaker states) plus this package's requests by channel: each flush adds what they counted since the
 * last one to the current minute, so the buckets hold their sum over instances. Read by name from the registry, so
 * no feature has to know about contact metrics. Only the flush calls it, one at a time.
 */
final class ProtectionSampler {

    // The meters' names, as docs/observability.md lists them.
    static final String CACHE_HITS = "surge.cache.hits";
    static final String CACHE_MISSES = "surge.cache.misses";
    static final String RATE_LIMITED = "surge.ratelimit.requests";
    static final String ADMISSION = "surge.admission.requests";
    static final String BREAKER_STATE = "resilience4j.circuitbreaker.state";

    private final MeterRegistry registry;
    private final ContactRecorder recorder;
    /** Totals already added, by field. */
    private final Map<String, Long> added = new HashMap<>();

    ProtectionSampler(MeterRegistry registry, ContactRecorder recorder) {
        this.registry = registry;
        this.recorder = recorder;
    }

    /** Adds what was counted since the last call to the buckets of {@code now}, and the breakers' states now. */
    void sample(long now, BucketWrites writes) {
        Map<String, Double> totals = new HashMap<>();
        sum(totals, "cache:near", registry.find(CACHE_HITS).tag("tier", "near").counters());
        sum(totals, "cache:redis", registry.find(CACHE_HITS).tag("tier", "redis").counters());
        sum(totals, "cache:miss", registry.find(CACHE_MISSES).counters());
        for (Counter counter : registry.find(RATE_LIMITED).tag("outcome", "limited").counters()) {
            totals.merge("rl:" + counter.getId().getTag("class"), counter.count(), Double::sum);
        }
        for (Counter counter : registry.find(ADMISSION).tag("outcome", "shed").counters()) {
            totals.merge("shed:" + counter.getId().getTag("priority"), counter.count(), Double::sum);
        }
        long[] requests = recorder.requests();
        for (int i = 0; i < requests.length; i++) {
            totals.put("req:" + ContactRecorder.CHANNELS.get(i), (double) requests[i]);
        }
        totals.forEach((field, total) -> {
            long now64 = (long) Math.floor(total);
            long delta = now64 - added.getOrDefault(field, 0L);
            if (delta > 0) {
                writes.add(now, field, delta);
                added.put(field, now64);
            }
        });
        for (Gauge gauge : registry.find(BREAKER_STATE).gauges()) {
            String name = gauge.getId().getTag("name");
            String state = gauge.getId().getTag("state");
            if (name == null || state == null || gauge.value() != 1.0) {
                continue;
            }
            writes.add(now, "brk:" + name + ":n", 1);
            if (state.equals("open") || state.equals("forced_open")) {
                writes.add(now, "brk:" + name + ":open", 1);
            } else if (state.equals("half_open")) {
                writes.add(now, "brk:" + name + ":half", 1);
            }
        }
    }

    private static void sum(Map<String, Double> totals, String field, Iterable<Counter> counters) {
        for (Counter counter : counters) {
            totals.merge(field, counter.count(), Double::sum);
        }
    }
}
