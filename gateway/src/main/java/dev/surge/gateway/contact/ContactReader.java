package dev.surge.gateway.contact;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

import dev.surge.gateway.queue.EscalationQueue;

/**
 * Reads a window back: the counters of its buckets summed, and the cardinalities of its HyperLogLogs and their
 * unions. A bucket's HyperLogLogs live in its own Cluster slot, so a union across buckets (which {@code PFCOUNT}
 * and {@code PFMERGE} can only do within one slot) works on copies: each bucket's value is read ({@code GET}, it is
 * a string), written under one temporary hash tag, merged there a few buckets at a time ({@code PFMERGE}) and the
 * copies deleted, so at most {@value #CHUNK} copies per set exist at once. Buckets without counters hold nothing and
 * are skipped.
 */
final class ContactReader {

    /** Buckets read at once, and copies merged per step. */
    private static final int CHUNK = 16;
    private static final Duration TEMP_TTL = Duration.ofMinutes(1);

    private final ReactiveStringRedisTemplate redis;
    private final ReactiveRedisTemplate<String, byte[]> bytes;
    private final EscalationQueue queue;
    private final ContactProperties properties;
    private final Clock clock;

    ContactReader(ReactiveStringRedisTemplate redis, ReactiveRedisTemplate<String, byte[]> bytes,
                  EscalationQueue queue, ContactProperties properties, Clock clock) {
        this.redis = redis;
        this.bytes = bytes;
        this.queue = queue;
        this.properties = properties;
        this.clock = clock;
    }

    /** The window's summary ending now; with the queues now when {@code withNow}. Fails when Redis fails. */
    Mono<ContactSummary> summary(Duration window, boolean withNow) {
        long now = clock.millis();
        Instant from = Instant.ofEpochMilli(ContactKeys.firstMinute(now, window) * 60_000L);
        Mono<ContactSummary.Now> current = withNow ? now() : Mono.empty();
        return totals(now, window)
                .zipWith(current.map(Optional::of).defaultIfEmpty(Optional.empty()))
                .map(both -> ContactFigures.summary(ContactProperties.name(window), from, Instant.ofEpochMilli(now),
                        both.getT1(), both.getT2().orElse(null), properties));
    }

    private Mono<ContactFigures.Totals> totals(long now, Duration window) {
        return Flux.fromIterable(ContactKeys.buckets(now, window))
                .flatMapSequential(bucket -> counts(bucket).map(counts -> Map.entry(bucket, counts)), CHUNK)
                .filter(entry -> !entry.getValue().isEmpty())
                .collectList()
                .flatMap(filled -> {
                    Map<String, Long> sums = new HashMap<>();
                    filled.forEach(entry -> entry.getValue().forEach((field, n) -> sums.merge(field, n, Long::sum)));
                    List<String> buckets = filled.stream().map(Map.Entry::getKey).toList();
                    return cardinalities(buckets)
                            .zipWith(breakersNow(now))
                            .map(both -> new ContactFigures.Totals(sums, both.getT1(), both.getT2()));
                });
    }

    private Mono<Map<String, Long>> counts(String bucket) {
        return redis.<String, String>opsForHash().entries(bucket + ContactKeys.COUNTS)
                .collectMap(Map.Entry::getKey, entry -> Long.parseLong(entry.getValue()))
                .timeout(properties.redisTimeout());
    }

    /** Breakers as the last minute with reports has them (this minute, or the one before just after it turned). */
    private Mono<Map<String, String>> breakersNow(long now) {
        long minute = ContactKeys.minute(now);
        return counts(ContactKeys.minuteBucket(minute))
                .map(ContactFigures::breakerStates)
                .flatMap(states -> states.isEmpty()
                        ? counts(ContactKeys.minuteBucket(minute - 1)).map(ContactFigures::breakerStates)
                        : Mono.just(states));
    }

    private Mono<Map<String, Long>> cardinalities(List<String> buckets) {
        // Not UUID.randomUUID: SecureRandom may read /dev/urandom, blocking I/O on the event loop. A name only has to
        // be unlikely to meet another summary's within the same minute.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String temp = ContactKeys.temp(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
        List<String> sets = ContactFigures.sets();
        Map<String, Long> cardinalities = new ConcurrentHashMap<>();
        List<String> merged = sets.stream().map(set -> temp + set).toList();
        Mono<Void> merge = buckets.isEmpty() ? Mono.empty()
                : Flux.fromIterable(sets).flatMap(set -> merge(set, buckets, temp), 4).then();
        Mono<Void> count = Flux.fromIterable(ContactFigures.cardinalities())
                .flatMap(group -> redis.opsForHyperLogLog()
                        .size(group.stream().map(set -> temp + set).toArray(String[]::new))
                        .timeout(properties.redisTimeout())
                        .doOnNext(n -> cardinalities.put(String.join("|", group), n)), 4)
                .then();
        return merge.then(count)
                .then(Mono.fromSupplier(() -> (Map<String, Long>) cardinalities))
                .flatMap(result -> redis.delete(merged.toArray(String[]::new)).timeout(properties.redisTimeout())
                        .onErrorResume(e -> Mono.empty()) // they expire anyway
                        .thenReturn(result));
    }

    /** The union of one set over the buckets, into {@code temp + set}. */
    private Mono<Void> merge(String set, List<String> buckets, String temp) {
        String into = temp + set;
        return Flux.fromIterable(buckets).index().buffer(CHUNK)
                .concatMap(chunk -> Flux.fromIterable(chunk)
                        .flatMap((Tuple2<Long, String> bucket) -> bytes.opsForValue().get(bucket.getT2() + set)
                                .timeout(properties.redisTimeout())
                                .flatMap(value -> {
                                    String copy = into + ":" + bucket.getT1();
                                    return bytes.opsForValue().set(copy, value, TEMP_TTL)
                                            .timeout(properties.redisTimeout()).thenReturn(copy);
                                }))
                        .collectList()
                        .flatMap(copies -> copies.isEmpty() ? Mono.empty()
                                : redis.opsForHyperLogLog().union(into, copies.toArray(String[]::new))
                                        .then(redis.expire(into, TEMP_TTL))
                                        .then(redis.delete(copies.toArray(String[]::new)))
                                        .timeout(properties.redisTimeout())
                                        .then()))
                .then();
    }

    private Mono<ContactSummary.Now> now() {
        return queue.queues().zipWith(queue.agentsPresent()).map(both -> {
            List<ContactSummary.QueueNow> queues = new ArrayList<>();
            for (EscalationQueue.QueueStats stats : both.getT1()) {
                queues.add(new ContactSummary.QueueNow(stats.skill().wire(), stats.depth(),
                        stats.oldestWaitingSeconds(), stats.held(), stats.activeAgents()));
            }
            return new ContactSummary.Now(queues, both.getT2());
        });
    }
}
