package dev.surge.gateway.notify;

import java.util.List;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import dev.surge.gateway.redis.LuaScript;

/** The Redis side of notifications: the stream and its webhook consumer group. */
final class NotificationStream {

    /** The stream every notification event goes to; consumers (sales tools, the webhook) read it. */
    static final String STREAM = "surge:notifications";
    static final String WEBHOOK_GROUP = "webhook";

    private final ReactiveStringRedisTemplate redis;
    private final int maxLength;
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> add = LuaScript.load("scripts/notify/add.lua");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> fetch = LuaScript.load("scripts/notify/fetch.lua");

    NotificationStream(ReactiveStringRedisTemplate redis, int maxLength) {
        this.redis = redis;
        this.maxLength = maxLength;
    }

    /** Appends an event; answers its stream id. */
    Mono<String> add(String event) {
        return run(add, List.of(STREAM), List.of(Integer.toString(maxLength), event)).map(reply -> reply.get(0));
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
