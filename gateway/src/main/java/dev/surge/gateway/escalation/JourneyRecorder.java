package dev.surge.gateway.escalation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.surge.gateway.redis.LuaScript;

/**
 * Each customer's recent self-service journey: the last N requests with their outcome. Recording is on the hot read
 * path (tens of thousands of requests a second), so it never talks to Redis: an entry goes into a small in-memory
 * buffer per customer, and a flush every {@code flush-interval} writes all buffers at once (one script call per
 * customer: push, trim to N, renew the TTL). Fail-open: if Redis is away the batch is dropped and counted; a journey
 * is a help for agents, not a record anyone relies on. Reading merges Redis with what this instance has not written
 * yet; another instance's last unwritten fraction of a second can be missing.
 */
final class JourneyRecorder {

    /** Stands for "the journey could not be read" in {@link #recent}. */
    static final String MISSING = "";
    static final String KEY_PREFIX = "surge:journey:";
    private static final int CHUNK = 128;

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> APPEND = LuaScript.load("scripts/escalation/journey-append.lua");

    private final ReactiveStringRedisTemplate redis;
    private final EscalationProperties.Journey properties;
    private final Duration timeout;
    private final EscalationMetrics metrics;
    private final Map<String, Buffer> pending = new ConcurrentHashMap<>();
    /** Entries taken by the running flush and not yet confirmed by Redis, still visible to {@link #recent}. */
    private volatile Map<String, List<String>> flushing = Map.of();

    JourneyRecorder(ReactiveStringRedisTemplate redis, EscalationProperties.Journey properties, Duration timeout,
                    EscalationMetrics metrics) {
        this.redis = redis;
        this.properties = properties;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /** One customer's unwritten entries, oldest first, at most N. Closed once a flush took it. */
    private static final class Buffer {
        final ArrayDeque<JourneyEntry> entries = new ArrayDeque<>();
        boolean closed;
    }

    static String key(String customer) {
        return KEY_PREFIX + "{" + customer + "}";
    }

    /** Records one step for the customer. Constant time, no I/O, no formatting; safe from any thread. */
    void record(String customer, JourneyEntry entry) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Buffer buffer = pending.get(customer);
            if (buffer == null) {
                if (pending.size() >= properties.getMaxBufferedCustomers()) {
                    metrics.journeyDropped(1);
                    return;
                }
                buffer = pending.computeIfAbsent(customer, c -> new Buffer());
            }
            // A monitor per customer, held for a few instructions and never around I/O.
            synchronized (buffer) {
                if (!buffer.closed) {
                    JourneyEntry last = buffer.entries.peekLast();
                    if (last != null && last.absorb(entry)) {
                        return;
                    }
                    buffer.entries.addLast(entry);
                    if (buffer.entries.size() > properties.getSize()) {
                        buffer.entries.removeFirst();
                    }
                    return;
                }
            }
            pending.remove(customer, buffer); // a flush just took it; start a new one
        }
    }

    /** Newest first: Redis merged with this instance's unwritten entries, at most N. */
    Mono<List<String>> recent(String customer) {
        List<String> local = new ArrayList<>();
        List<String> inFlight = flushing.get(customer);
        if (inFlight != null) {
            local.addAll(inFlight);
        }
        Buffer buffer = pending.get(customer);
        if (buffer != null) {
            synchronized (buffer) {
                buffer.entries.forEach(entry -> local.add(entry.toJson()));
            }
        }
        return redis.opsForList().range(key(customer), 0, properties.getSize() - 1L).collectList()
                .timeout(timeout)
                .map(stored -> {
                    // Entries are unique (they carry a time and a sequence number), so a set removes overlaps.
                    Set<String> all = new LinkedHashSet<>(stored);
                    all.addAll(local);
                    List<String> merged = new ArrayList<>(all);
                    merged.sort(NEWEST_FIRST);
                    return merged.size() > properties.getSize() ? merged.subList(0, properties.getSize()) : merged;
                });
    }

    /**
     * Newest first: entries begin with {@code {"at":"<fixed-width UTC time>","n":<sequence>}, so the time prefix
     * orders them, and the sequence (the order this instance recorded them in) breaks ties within a millisecond.
     */
    static final Comparator<String> NEWEST_FIRST = Comparator.comparing(JourneyRecorder::time)
            .thenComparingLong(JourneyRecorder::sequence).reversed();

    private static String time(String entry) {
        return entry.length() > JourneyWebFilter.TIME_END ? entry.substring(0, JourneyWebFilter.TIME_END) : entry;
    }

    private static long sequence(String entry) {
        int start = entry.indexOf("\"n\":");
        int end = start < 0 ? -1 : entry.indexOf(',', start);
        try {
            return end < 0 ? 0 : Long.parseLong(entry.substring(start + 4, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Writes every buffer: one script call per customer, all in flight together. */
    Mono<Void> flush() {
        Map<String, List<String>> batch = new HashMap<>();
        for (Map.Entry<String, Buffer> entry : pending.entrySet()) {
            Buffer buffer = entry.getValue();
            synchronized (buffer) {
                buffer.closed = true;
                List<String> json = new ArrayList<>(buffer.entries.size());
                buffer.entries.forEach(step -> json.add(step.toJson()));
                batch.put(entry.getKey(), json);
            }
            pending.remove(entry.getKey(), buffer);
        }
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        flushing = batch;
        String size = Integer.toString(properties.getSize());
        String ttl = Long.toString(properties.getTtl().toMillis());
        // In chunks of CHUNK calls, each chunk dispatched at once (Lettuce pipelines it) from the flush's own
        // thread: publishOn brings every next chunk back there, so no call is issued from inside another's
        // completion on Lettuce's event loop (nested writes on a reconnecting connection can hang it,
        // lettuce#3880), and Redis gets steady work instead of one burst per interval.
        List<Map.Entry<String, List<String>>> entries = new ArrayList<>(batch.entrySet());
        List<List<Map.Entry<String, List<String>>>> chunks = new ArrayList<>();
        for (int from = 0; from < entries.size(); from += CHUNK) {
            chunks.add(entries.subList(from, Math.min(entries.size(), from + CHUNK)));
        }
        return Flux.fromIterable(chunks)
                .publishOn(Schedulers.boundedElastic(), 1)
                .concatMap(chunk -> Mono.when(chunk.stream().map(entry -> {
                    List<String> args = new ArrayList<>(entry.getValue().size() + 2);
                    args.add(size);
                    args.add(ttl);
                    args.addAll(entry.getValue());
                    return redis.execute(APPEND, List.of(key(entry.getKey())), args).timeout(timeout)
                            .then()
                            .onErrorResume(e -> {
                                metrics.journeyDropped(entry.getValue().size());
                                return Mono.empty();
                            });
                }).toList()), 1)
                .then()
                .doFinally(signal -> flushing = Map.of());
    }

    /** On shutdown: one last flush, bounded and not waited for, so a graceful stop loses as little as possible. */
    void close() {
        flush().timeout(Duration.ofSeconds(2)).onErrorResume(e -> Mono.empty()).subscribe();
    }
}
