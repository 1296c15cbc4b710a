package dev.surge.gateway.journey;

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
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.surge.gateway.redis.LuaScript;

/**
 * Each customer's recent self-service journey: the last N requests with their outcome. Recording is on the hot read
 * path (tens of thousands of requests a second), so it never talks to Redis: an entry goes into a small in-memory
 * buffer per customer, and the flush writes the buffers in batches, one script call for up to {@value #BATCH}
 * customers of one {@value #SHARDS}-way hash-tag shard (push, trim to N, renew the TTL for each). The flush is
 * spread: every {@code flush-interval / }{@value #SLICES} it writes one slice of the shards, so every entry is
 * written within {@code flush-interval}, and Redis and the CPU see steady work instead of a burst per interval (a
 * burst of one call per customer every 2 s showed as a dip in served requests every other second under overload).
 * Fail-open: if Redis is away the batch is dropped and counted; a journey is a help for agents, not a record anyone
 * relies on. Reading merges Redis with what this instance has not written yet; another instance's entries of the
 * last flush interval can be missing.
 */
final class JourneyRecorder implements Journeys {

    static final String KEY_PREFIX = "surge:journey:";
    /** Hash-tag shards: customers of one shard share a Redis Cluster slot, so one call can carry many of them. */
    static final int SHARDS = 64;
    /** The flush interval is cut into this many ticks, each writing the shards of one slice. */
    static final int SLICES = 8;
    /** Most customers one script call carries. */
    static final int BATCH = 64;
    /** Script calls dispatched together (pipelined), chunk after chunk. */
    private static final int CHUNK = 32;

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> APPEND = LuaScript.load("scripts/journey/append.lua");

    private final ReactiveStringRedisTemplate redis;
    private final JourneyProperties properties;
    private final Duration timeout;
    private final JourneyMetrics metrics;
    private static final java.util.regex.Pattern AGENT_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Sequence of steps recorded for customers by agents (ties within a millisecond only). */
    private final java.util.concurrent.atomic.AtomicLong onBehalf = new java.util.concurrent.atomic.AtomicLong();
    /** Unwritten buffers by slice ({@link #slice}), each slice flushed on its own tick. */
    private final List<Map<String, Buffer>> pending = new ArrayList<>(SLICES);
    private final int maxBufferedPerSlice;
    /** The slice the next tick writes; only the flush task, which never runs twice at once, moves it. */
    private final AtomicInteger nextSlice = new AtomicInteger();
    /** Entries taken by the running flush and not yet confirmed by Redis, still visible to {@link #recent}. */
    private volatile Map<String, List<String>> flushing = Map.of();

    JourneyRecorder(ReactiveStringRedisTemplate redis, JourneyProperties properties, JourneyMetrics metrics) {
        this.redis = redis;
        this.properties = properties;
        this.timeout = properties.redisTimeout();
        this.metrics = metrics;
        for (int i = 0; i < SLICES; i++) {
            pending.add(new ConcurrentHashMap<>());
        }
        this.maxBufferedPerSlice = Math.max(1, properties.maxBufferedCustomers() / SLICES);
    }

    /** One customer's unwritten entries, oldest first, at most N. Closed once a flush took it. */
    private static final class Buffer {
        final ArrayDeque<JourneyEntry> entries = new ArrayDeque<>();
        boolean closed;
    }

    /** {@code surge:journey:{<shard>}:<customer>}: the shard, not the customer, is the Cluster hash tag. */
    static String key(String customer) {
        return KEY_PREFIX + "{" + shard(customer) + "}:" + customer;
    }

    static int shard(String customer) {
        return Math.floorMod(customer.hashCode(), SHARDS); // String.hashCode is the same on every JVM
    }

    private static int slice(int shard) {
        return shard % SLICES;
    }

    /** How often the flush task must run: once per slice per flush interval. */
    static Duration tick(Duration flushInterval) {
        return flushInterval.dividedBy(SLICES);
    }

    /** Records one step for the customer. Constant time, no I/O, no formatting; safe from any thread. */
    void record(String customer, JourneyEntry entry) {
        Map<String, Buffer> slice = pending.get(slice(shard(customer)));
        for (int attempt = 0; attempt < 3; attempt++) {
            Buffer buffer = slice.get(customer);
            if (buffer == null) {
                if (slice.size() >= maxBufferedPerSlice) {
                    metrics.dropped(1);
                    return;
                }
                buffer = slice.computeIfAbsent(customer, c -> new Buffer());
            }
            // A monitor per customer, held for a few instructions and never around I/O.
            synchronized (buffer) {
                if (!buffer.closed) {
                    JourneyEntry last = buffer.entries.peekLast();
                    if (last != null && last.absorb(entry)) {
                        return;
                    }
                    buffer.entries.addLast(entry);
                    if (buffer.entries.size() > properties.size()) {
                        buffer.entries.removeFirst();
                    }
                    return;
                }
            }
            slice.remove(customer, buffer); // a flush just took it; start a new one
        }
    }

    @Override
    public void recordOnBehalf(String customer, String agentId, String method, String path, int status,
                               long atMillis) {
        // Agent ids are tokens' subjects: only a safe shape reaches the entry's JSON.
        String actor = AGENT_ID.matcher(agentId).matches() ? "agent:" + agentId : "agent";
        record(customer, new JourneyEntry(atMillis, onBehalf.incrementAndGet(), method, path, status, null, actor));
    }

    /** Newest first: Redis merged with this instance's unwritten entries, at most N. */
    @Override
    public Mono<List<String>> recent(String customer) {
        List<String> local = new ArrayList<>();
        List<String> inFlight = flushing.get(customer);
        if (inFlight != null) {
            local.addAll(inFlight);
        }
        Buffer buffer = pending.get(slice(shard(customer))).get(customer);
        if (buffer != null) {
            synchronized (buffer) {
                buffer.entries.forEach(entry -> local.add(entry.toJson()));
            }
        }
        return redis.opsForList().range(key(customer), 0, properties.size() - 1L).collectList()
                .timeout(timeout)
                .map(stored -> {
                    // Entries are unique (they carry a time and a sequence number), so a set removes overlaps.
                    Set<String> all = new LinkedHashSet<>(stored);
                    all.addAll(local);
                    List<String> merged = new ArrayList<>(all);
                    merged.sort(NEWEST_FIRST);
                    return merged.size() > properties.size() ? merged.subList(0, properties.size()) : merged;
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

    /** Writes the next slice's buffers: the periodic task, run every {@link #tick} of the flush interval. */
    Mono<Void> flushNextSlice() {
        int slice = Math.floorMod(nextSlice.getAndIncrement(), SLICES);
        return write(take(List.of(pending.get(slice))));
    }

    /** Writes every buffer at once (shutdown). */
    Mono<Void> flush() {
        return write(take(pending));
    }

    /** Takes the buffers out of the slices, closing each, and answers their entries as JSON by customer. */
    private static Map<String, List<String>> take(List<Map<String, Buffer>> slices) {
        Map<String, List<String>> batch = new HashMap<>();
        for (Map<String, Buffer> slice : slices) {
            for (Map.Entry<String, Buffer> entry : slice.entrySet()) {
                Buffer buffer = entry.getValue();
                synchronized (buffer) {
                    buffer.closed = true;
                    List<String> json = new ArrayList<>(buffer.entries.size());
                    buffer.entries.forEach(step -> json.add(step.toJson()));
                    if (!json.isEmpty()) { // taken between its creation and its first entry: nothing to push
                        batch.put(entry.getKey(), json);
                    }
                }
                slice.remove(entry.getKey(), buffer);
            }
        }
        return batch;
    }

    /** One script call per shard and {@value #BATCH} customers. */
    private Mono<Void> write(Map<String, List<String>> batch) {
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        flushing = batch;
        List<List<String>> byShard = new ArrayList<>(SHARDS);
        for (int i = 0; i < SHARDS; i++) {
            byShard.add(new ArrayList<>());
        }
        batch.keySet().forEach(customer -> byShard.get(shard(customer)).add(customer));
        // Calls of up to BATCH customers of one shard, dispatched CHUNK at once (Lettuce pipelines them) from the
        // flush's own thread: publishOn brings every next chunk back there, so no call is issued from inside
        // another's completion on Lettuce's event loop (nested writes on a reconnecting connection can hang it,
        // lettuce#3880).
        return Flux.fromIterable(byShard)
                .concatMap(shard -> Flux.fromIterable(shard).buffer(BATCH))
                .buffer(CHUNK)
                .publishOn(Schedulers.boundedElastic(), 1)
                .concatMap(chunk -> Mono.when(chunk.stream().map(customers -> append(customers, batch)).toList()), 1)
                .then()
                .doFinally(signal -> flushing = Map.of());
    }

    private Mono<Void> append(List<String> customers, Map<String, List<String>> batch) {
        List<String> keys = new ArrayList<>(customers.size());
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(properties.size()));
        args.add(Long.toString(properties.ttl().toMillis()));
        int entries = 0;
        for (String customer : customers) {
            List<String> json = batch.get(customer);
            keys.add(key(customer));
            args.add(Integer.toString(json.size()));
            args.addAll(json);
            entries += json.size();
        }
        int dropped = entries;
        return redis.execute(APPEND, keys, args).timeout(timeout)
                .then()
                .onErrorResume(e -> {
                    metrics.dropped(dropped);
                    return Mono.empty();
                });
    }

    /** On shutdown: one last flush, bounded and not waited for, so a graceful stop loses as little as possible. */
    void close() {
        flush().timeout(Duration.ofSeconds(2)).onErrorResume(e -> Mono.empty()).subscribe();
    }
}
