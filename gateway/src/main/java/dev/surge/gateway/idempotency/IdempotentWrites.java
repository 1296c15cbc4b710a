package dev.surge.gateway.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.Hashes;
import dev.surge.gateway.core.TaggedCounters;
import dev.surge.gateway.redis.LuaScript;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes done once per Idempotency-Key, for writes whose effect is elsewhere (the back office): the key is claimed in
 * Redis before the write, a retry gets the stored answer, the same key with another request 422, and a retry while
 * the first is still running 409 ({@link InProgress} on this instance, the working mark on any other). A final
 * answer (success, or a refusal the back office decided) is stored; an unknown outcome (timeout, back office down)
 * lets the key go, so the client's retry with the same key reaches the back office again, which honours the key.
 *
 * <p>Redis is <b>fail-open</b> here: when it cannot be reached the write goes on without the gateway's record
 * (counted in {@value #FALLBACKS}); the back office's own check of the key keeps it single. Refusing every action
 * while Redis is away would turn a cache-tier outage into a self-service outage.
 */
public final class IdempotentWrites {

    static final String REPLAYS = "surge.idempotency.replays";
    static final String FALLBACKS = "surge.idempotency.redis.fallbacks";
    private static final Logger log = LoggerFactory.getLogger(IdempotentWrites.class);
    private static final String PREFIX = "surge:idem:";

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> BEGIN = LuaScript.load("scripts/idempotency/begin.lua");
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> FINISH = LuaScript.load("scripts/idempotency/finish.lua");

    private final ReactiveStringRedisTemplate redis;
    private final IdempotencyProperties properties;
    private final InProgress inProgress = new InProgress();
    private final TaggedCounters counters;

    public IdempotentWrites(ReactiveStringRedisTemplate redis, IdempotencyProperties properties,
                            MeterRegistry registry) {
        this.redis = redis;
        this.properties = properties;
        this.counters = new TaggedCounters(registry);
    }

    /**
     * A write's answer as the client got it, kept for its retries: status, the headers worth replaying
     * ({@code Content-Type}, {@code Location}, {@code ETag}) and the body.
     */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    /**
     * Does the write once for the caller's key: the stored answer for a repeat, else the write's. {@code scope} keeps
     * callers' keys apart (a customer, an agent); {@code fingerprint} says what the request was (method, target and
     * body), so the same key for another request is refused.
     */
    public Mono<Answer> once(String scope, String key, String fingerprint, Supplier<Mono<Answer>> write) {
        String redisKey = redisKey(scope, key);
        return inProgress.guard(redisKey, () -> begin(redisKey, fingerprint).flatMap(claim -> switch (claim.get(0)) {
            case "done" -> {
                counters.get(REPLAYS).increment();
                yield Mono.just(stored(claim));
            }
            case "mismatch" -> Mono.error(IdempotencyKeys.reused());
            case "busy" -> Mono.error(IdempotencyKeys.inUse());
            case "new" -> write.get()
                    .flatMap(answer -> finish(redisKey, fingerprint, answer).thenReturn(answer))
                    .onErrorResume(e -> finish(redisKey, fingerprint, null).then(Mono.error(e)));
            default -> write.get(); // Redis unreachable: see the class comment
        }));
    }

    /** A fingerprint of a request: what it does and to what, so a reused key with another request is told apart. */
    public static String fingerprint(String method, String target, byte[] body) {
        return Hashes.sha256(method + ' ' + target + '\n' + new String(body, StandardCharsets.UTF_8));
    }

    private Mono<List<String>> begin(String redisKey, String fingerprint) {
        return run(BEGIN, redisKey, List.of(fingerprint, Long.toString(properties.workingTtl().toMillis())))
                .onErrorResume(e -> {
                    counters.get(FALLBACKS, "operation", "begin").increment();
                    return Mono.just(List.of("unavailable"));
                });
    }

    /** Stores the answer, or lets the key go when {@code answer} is null. Never fails the write's answer. */
    private Mono<Void> finish(String redisKey, String fingerprint, @Nullable Answer answer) {
        List<String> args = answer == null
                ? List.of(fingerprint, "release", "", "", "", "0")
                : List.of(fingerprint, "done", Integer.toString(answer.status()), headers(answer.headers()),
                        new String(answer.body(), StandardCharsets.UTF_8), Long.toString(properties.ttl().toMillis()));
        return run(FINISH, redisKey, args)
                .onErrorResume(e -> {
                    counters.get(FALLBACKS, "operation", answer == null ? "release" : "store").increment();
                    log.warn("could not record an Idempotency-Key's outcome: {}", e.toString());
                    return Mono.empty();
                })
                .then();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Mono<List<String>> run(RedisScript<List> script, String key, List<String> args) {
        return redis.execute(script, List.of(key), args).next()
                .map(reply -> {
                    List<String> values = new ArrayList<>(reply.size());
                    for (Object value : (List<Object>) reply) {
                        values.add(value == null ? "" : value.toString());
                    }
                    return values;
                })
                .timeout(properties.redisTimeout());
    }

    /** {@code surge:idem:{<scope>}:<sha256>}: hashed, so any key a client sends makes a short, safe Redis key. */
    static String redisKey(String scope, String key) {
        return PREFIX + "{" + scope + "}:" + Hashes.sha256(key);
    }

    private static Answer stored(List<String> claim) {
        return new Answer(Integer.parseInt(claim.get(1)), parseHeaders(claim.get(2)),
                claim.get(3).getBytes(StandardCharsets.UTF_8));
    }

    private static String headers(Map<String, String> headers) {
        StringBuilder text = new StringBuilder();
        headers.forEach((name, value) -> text.append(name).append('\n').append(value).append('\n'));
        return text.toString();
    }

    private static Map<String, String> parseHeaders(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            headers.put(lines[i], lines[i + 1]);
        }
        return headers;
    }
}
