package dev.surge.gateway.admission;

import static dev.surge.gateway.redis.LuaScript.number;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import dev.surge.gateway.redis.LuaScript;

/**
 * The waiting room's shared state in Redis, changed only by two scripts: {@code issue.lua} (a place for a customer)
 * and {@code tick.lua} (each instance's periodic look, moving the pointer on). Every key shares the {@code {wr}} hash
 * tag: the sequence is global, so the queue lives in one Redis Cluster slot by nature.
 */
final class RedisWaitingRoomStore {

    static final String KEY_PREFIX = "surge:wr:{wr}:";
    /** Hash: epoch, issued, admitted, last:&lt;class&gt;. Expires when no ticket of it could still be good. */
    static final String STATE = KEY_PREFIX + "state";
    /** Sorted set of recent advances, kept for the admission windows of instances that start meanwhile. */
    static final String ADVANCES = KEY_PREFIX + "advances";
    /** One customer's place, while they wait: one place per customer. */
    static final String PLACE_PREFIX = KEY_PREFIX + "c:";

    /** What issue.lua answered. */
    record Issued(boolean fresh, Ticket ticket, long issued, long admitted, long[] lastIssued) {
    }

    /** What tick.lua answered; {@code advances} holds {before, after, time} triples when asked for. */
    record Tick(long advanced, long epoch, long issued, long admitted, long[] lastIssued, List<long[]> advances) {
    }

    private final ReactiveStringRedisTemplate redis;
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> issueScript = LuaScript.load("scripts/waitingroom/issue.lua");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> tickScript = LuaScript.load("scripts/waitingroom/tick.lua");

    RedisWaitingRoomStore(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** A place for the customer (theirs already, if they still wait). Errors and times out like any Redis call. */
    Mono<Issued> issue(String customerId, Priority priority, long now, Duration ticketTtl, Duration timeout) {
        long ttl = ticketTtl.toMillis();
        // Twice the ticket lifetime plus the admission windows it may still decide.
        long stateTtl = 2 * ttl + Duration.ofMinutes(10).toMillis();
        return redis.execute(issueScript, List.of(STATE, PLACE_PREFIX + customerId),
                        List.of(Integer.toString(priority.ordinal()), Long.toString(now), Long.toString(ttl),
                                Long.toString(stateTtl)))
                .next()
                .timeout(timeout)
                .map(answer -> new Issued(number(answer, 0) == 1,
                        new Ticket(number(answer, 4), number(answer, 1), number(answer, 2), number(answer, 3),
                                customerId),
                        number(answer, 5), number(answer, 6), classes(answer, 7)));
    }

    /** One tick: {@code free} places per class this instance can take in; with the kept advances if asked. */
    Mono<Tick> tick(long now, long[] free, Duration retention, boolean withAdvances, Duration timeout) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(now));
        for (long places : free) {
            args.add(Long.toString(places));
        }
        args.add(Long.toString(retention.toMillis()));
        args.add(withAdvances ? "1" : "0");
        return redis.execute(tickScript, List.of(STATE, ADVANCES), args)
                .next()
                .timeout(timeout)
                .map(answer -> {
                    int tail = 4 + QueueState.QUEUED_CLASSES;
                    List<long[]> advances = new ArrayList<>();
                    for (int i = tail; i + 2 < answer.size(); i += 3) {
                        advances.add(new long[] {number(answer, i), number(answer, i + 1), number(answer, i + 2)});
                    }
                    return new Tick(number(answer, 0), number(answer, 1), number(answer, 2), number(answer, 3),
                            classes(answer, 4), advances);
                });
    }

    private static long[] classes(List<?> answer, int from) {
        long[] last = new long[QueueState.QUEUED_CLASSES];
        for (int c = 0; c < last.length; c++) {
            last[c] = number(answer, from + c);
        }
        return last;
    }
}
