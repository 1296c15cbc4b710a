package dev.surge.gateway.conversation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import dev.surge.gateway.queue.CustomerQueue;
import dev.surge.gateway.redis.LuaScript;

/**
 * Conversations in Redis. Keys carry the queue's hash tag, so the scripts check the escalation's record and append in
 * one atomic step on Redis Cluster too:
 * <ul>
 *   <li>{@code surge:{esc}:conv:<id>} stream: the entries, trimmed to about {@code maxEntries}, expiring
 *       {@code retention} after the last one (the last is the resolve or abandon, so it goes with the record)</li>
 *   <li>{@code surge:{esc}:conv:<id>:told} string: the escalation's last state told, same expiry</li>
 *   <li>{@code surge:{esc}:conv:<id>:rate:<role>:<sender>} counter of the sender's current rate window</li>
 * </ul>
 * Every append publishes the escalation id on {@link #APPENDED}; each instance listens once and wakes its followers,
 * which then read the stream from their last entry (the stream, not the notice, is the truth: a lost notice only
 * delays an entry until the next poll).
 */
class ConversationRepository {

    private static final Logger log = LoggerFactory.getLogger(ConversationRepository.class);

    static final String PREFIX = "surge:" + CustomerQueue.HASH_TAG + ":conv:";
    /** Pub/sub channel: the id of an escalation whose conversation has a new entry. */
    static final String APPENDED = "surge:conv:appended";

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> SEND = LuaScript.load("scripts/conversation/send.lua");
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> SYSTEM = LuaScript.load("scripts/conversation/system.lua");

    private final ReactiveStringRedisTemplate redis;
    private final ReactiveRedisMessageListenerContainer container;
    private final ConversationProperties properties;
    private final Duration retention;
    private final Duration timeout;
    // Best effort per follower: a slow one misses a notice, never blocks others, and reads the stream on the next.
    private final Sinks.Many<String> appended = Sinks.many().multicast().directBestEffort();

    ConversationRepository(ReactiveStringRedisTemplate redis, ReactiveRedisMessageListenerContainer container,
                           ConversationProperties properties, Duration retention, Duration timeout) {
        this.redis = redis;
        this.container = container;
        this.properties = properties;
        this.retention = retention;
        this.timeout = timeout;
    }

    static String stream(String id) {
        return PREFIX + id;
    }

    /** A script's answer: a code ({@code ok}, {@code missing}, ...) and what came with it. */
    record Outcome(String code, List<String> values) {
    }

    /** Appends a message if the sender may write now (send.lua says who may). */
    Mono<Outcome> send(String id, Participant sender, String text, long nowMillis) {
        List<String> keys = List.of(stream(id), CustomerQueue.recordKey(id),
                stream(id) + ":rate:" + sender.role() + ":" + sender.value());
        List<String> args = List.of(sender.role(), sender.field(), sender.value(), text, Long.toString(nowMillis),
                Integer.toString(properties.maxEntries()), Long.toString(retention.toMillis()),
                Integer.toString(properties.rateLimit()), Long.toString(properties.rateWindow().toMillis()),
                APPENDED, id);
        return run(SEND, keys, args);
    }

    /** Tells the conversation the escalation's current state, unless it was told already (system.lua). */
    Mono<Outcome> tell(String id, long nowMillis) {
        List<String> keys = List.of(stream(id), CustomerQueue.recordKey(id), stream(id) + ":told");
        List<String> args = List.of(Long.toString(nowMillis), Integer.toString(properties.maxEntries()),
                Long.toString(retention.toMillis()), APPENDED, id);
        return run(SYSTEM, keys, args);
    }

    /** Up to {@code count} entries after {@code afterId} ({@code 0-0} for all), oldest first. */
    Mono<List<Entry>> after(String id, String afterId, int count) {
        // Inclusive from afterId and the entry itself dropped: works on every Redis version (exclusive ranges need 6.2).
        return redis.opsForStream().range(stream(id), Range.rightUnbounded(Range.Bound.inclusive(afterId)),
                        Limit.limit().count(count + 1))
                .filter(record -> !record.getId().getValue().equals(afterId))
                .take(count)
                .map(record -> Entry.of(record.getId().getValue(), record.getValue()))
                .collectList()
                .timeout(timeout);
    }

    /** Ids of escalations whose conversation has a new entry, from any instance. */
    Flux<String> appended() {
        return appended.asFlux();
    }

    /** The subscription that feeds {@link #appended()}; resubscribes with backoff when Redis goes away. */
    Flux<?> listen() {
        return container.receive(ChannelTopic.of(APPENDED))
                .doOnNext(message -> appended.tryEmitNext(message.getMessage()))
                .doOnError(e -> log.warn("conversation channel lost, resubscribing: {}", e.toString()))
                // Resubscribing opens a connection synchronously: done where blocking is allowed.
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .scheduler(Schedulers.boundedElastic()));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Mono<Outcome> run(RedisScript<List> script, List<String> keys, List<String> args) {
        return redis.execute(script, keys, args).next()
                .map(reply -> {
                    List<String> values = new ArrayList<>(reply.size());
                    for (Object value : (List<Object>) reply) {
                        values.add(value == null ? "" : value.toString());
                    }
                    return new Outcome(values.get(0), values.subList(1, values.size()));
                })
                .timeout(timeout);
    }
}
