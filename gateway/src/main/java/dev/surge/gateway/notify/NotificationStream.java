package dev.surge.gateway.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import dev.surge.gateway.redis.LuaScript;

/** The Redis side of notifications: the stream and its webhook consumer group. */
final class NotificationStream {

    /** The stream every notification event goes to; consumers (sales tools, the webhook) read it. */
    static final String STREAM = "surge:notifications";
    static final String WEBHOOK_GROUP = "webhook";
    /** Events one script call appends at most. */
    static final int BATCH = 64;
    /**
     * Events that may wait for a write at most: seconds of an escalation storm's events, or the events of an outage
     * of Redis. Past it a new event fails at once (counted): memory stays bounded however long Redis is away.
     */
    static final int MAX_WAITING = 10_000;
    /** A write that takes longer counts as failed, and is tried again. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long a failed write waits before it is tried again, its events still first in line. Fixed, not backed off:
     * one small script call a second is nothing to a Redis that is back, and a customer's event then waits at most a
     * second longer than Redis was away.
     */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final ReactiveStringRedisTemplate redis;
    private final int maxLength;
    private final NotifyMetrics metrics;
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> add = LuaScript.load("scripts/notify/add.lua");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> fetch = LuaScript.load("scripts/notify/fetch.lua");

    private final Deque<Waiting> waiting = new ConcurrentLinkedDeque<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();

    private record Waiting(String event, MonoSink<String> sink) {
    }

    NotificationStream(ReactiveStringRedisTemplate redis, int maxLength, NotifyMetrics metrics) {
        this.redis = redis;
        this.maxLength = maxLength;
        this.metrics = metrics;
    }

    /**
     * Appends an event; answers its stream id. One write is in flight at a time, and the events that arrive meanwhile
     * go together in the next (smart batching): one script call per burst instead of one per event, and no added wait
     * when events come one at a time. Written here because Reactor's buffering operators batch by size or by a timer,
     * and a timer would delay every quiet event. A write that fails (Redis away, or too slow) is tried again after
     * {@link #RETRY_AFTER}, its events still first in line: an event is lost only when this instance stops before
     * Redis is back, or when {@link #MAX_WAITING} are already waiting. A write that timed out after Redis ran it is
     * written twice (at least once: consumers deduplicate on escalation id and rule).
     */
    Mono<String> add(String event) {
        return Mono.create(sink -> {
            if (waitingCount.incrementAndGet() > MAX_WAITING) {
                waitingCount.decrementAndGet();
                sink.error(new IllegalStateException("too many notification events waiting for Redis"));
                return;
            }
            waiting.add(new Waiting(event, sink));
            drain();
        });
    }

    /**
     * Starts the next write unless one is in flight. Its end calls this again: at once after a success, which may
     * nest once per write that succeeds at once (at most {@code MAX_WAITING / BATCH} deep), and from a timer after a
     * failure ({@link #retryLater}), which never nests.
     */
    private void drain() {
        while (!waiting.isEmpty() && writing.compareAndSet(false, true)) {
            List<Waiting> batch = new ArrayList<>(BATCH);
            for (Waiting next; batch.size() < BATCH && (next = waiting.poll()) != null; ) {
                batch.add(next);
            }
            waitingCount.addAndGet(-batch.size());
            if (batch.isEmpty()) {
                writing.set(false); // another drain took them between the check and the poll
                continue;
            }
            List<String> args = new ArrayList<>(batch.size() + 1);
            args.add(Integer.toString(maxLength));
            batch.forEach(w -> args.add(w.event()));
            Mono.defer(() -> run(add, List.of(STREAM), args)).timeout(TIMEOUT).subscribe(
                    ids -> {
                        for (int i = 0; i < batch.size(); i++) {
                            MonoSink<String> sink = batch.get(i).sink();
                            if (i < ids.size()) {
                                sink.success(ids.get(i));
                            } else {
                                sink.error(new IllegalStateException("Redis answered fewer stream ids than events"));
                            }
                        }
                    },
                    e -> retryLater(batch),
                    this::written);
            return;
        }
    }

    /** Puts the batch back at the head of the line, in order, and keeps the writer busy until it is time to retry. */
    private void retryLater(List<Waiting> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            waiting.addFirst(batch.get(i));
        }
        waitingCount.addAndGet(batch.size());
        metrics.writeRetried();
        Mono.delay(RETRY_AFTER).subscribe(tick -> written());
    }

    private void written() {
        writing.set(false);
        drain();
    }

    /** Takes up to {@code count} events for the consumer: stuck ones first, then new ones; {id, event, ...}. */
    Mono<List<String>> fetch(String consumer, int count, long redeliverAfterMillis) {
        return run(fetch, List.of(STREAM), List.of(WEBHOOK_GROUP, consumer, Integer.toString(count),
                Long.toString(redeliverAfterMillis)));
    }

    Mono<Long> acknowledge(String entryId) {
        return redis.opsForStream().acknowledge(STREAM, WEBHOOK_GROUP, entryId);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Mono<List<String>> run(RedisScript<List> script, List<String> keys, List<String> args) {
        return redis.execute(script, keys, args).next()
                .map(reply -> ((List<Object>) reply).stream().map(String::valueOf).toList());
    }
}
