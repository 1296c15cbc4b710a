package dev.surge.gateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.surge.gateway.VirtualTime;
import dev.surge.gateway.core.SurgeException;

/**
 * Writes done once per Idempotency-Key against the real Redis: a repeat gets the first answer without a second write,
 * another request with the key 422, concurrent attempts one write, and an unknown outcome frees the key. Same context
 * as the escalation tests (one embedded Redis for all).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "surge.ratelimit.enabled=false")
@AutoConfigureWebTestClient
@Import(VirtualTime.class)
class IdempotentWritesIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Autowired
    IdempotentWrites writes;

    @Autowired
    ReactiveStringRedisTemplate redis;

    private static IdempotentWrites.Answer created(String body) {
        return new IdempotentWrites.Answer(201, Map.of("Location", "/x/1", "Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRepeatGetsTheFirstAnswerAndTheWriteRunsOnce() {
        String scope = "c:" + UUID.randomUUID();
        AtomicInteger calls = new AtomicInteger();
        Mono<IdempotentWrites.Answer> write = writes.once(scope, "k1", "fp",
                () -> Mono.fromSupplier(() -> created("{\"n\":" + calls.incrementAndGet() + "}")));

        IdempotentWrites.Answer first = write.block(TIMEOUT);
        IdempotentWrites.Answer again = write.block(TIMEOUT);

        assertThat(calls).hasValue(1);
        assertThat(again.status()).isEqualTo(201);
        assertThat(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(again.headers()).isEqualTo(first.headers());
    }

    @Test
    void theKeyWithAnotherRequestIs422AndDoesNothing() {
        String scope = "c:" + UUID.randomUUID();
        AtomicInteger calls = new AtomicInteger();
        writes.once(scope, "k1", "fp-a", () -> Mono.fromSupplier(() -> {
            calls.incrementAndGet();
            return created("{}");
        })).block(TIMEOUT);

        StepVerifier.create(writes.once(scope, "k1", "fp-b", () -> Mono.fromSupplier(() -> {
                    calls.incrementAndGet();
                    return created("{}");
                })))
                .expectErrorSatisfies(e -> assertThat(((SurgeException) e).getStatusCode().value()).isEqualTo(422))
                .verify(TIMEOUT);
        assertThat(calls).hasValue(1);
    }

    @Test
    void twentyConcurrentAttemptsMakeOneWriteAndEachGetsItsAnswerOrA409() {
        String scope = "c:" + UUID.randomUUID();
        AtomicInteger calls = new AtomicInteger();
        List<Object> outcomes = Flux.range(0, 20)
                .flatMap(i -> writes.once(scope, "k", "fp", () -> Mono.fromSupplier(() -> {
                            calls.incrementAndGet();
                            return created("{\"ok\":true}");
                        }).delayElement(Duration.ofMillis(50)))
                        .<Object>map(IdempotentWrites.Answer::status)
                        .onErrorResume(SurgeException.class, e -> Mono.just(e.getStatusCode().value()))
                        .subscribeOn(Schedulers.parallel()))
                .collectList().block(TIMEOUT);

        assertThat(calls).hasValue(1);
        assertThat(outcomes).hasSize(20).allSatisfy(status -> assertThat(status).isIn(201, 409)).contains(201);
    }

    @Test
    void anUnknownOutcomeFreesTheKeySoTheRetryReachesTheWriteAgain() {
        String scope = "c:" + UUID.randomUUID();
        AtomicInteger calls = new AtomicInteger();
        StepVerifier.create(writes.once(scope, "k", "fp", () -> Mono.defer(() -> {
                    calls.incrementAndGet();
                    return Mono.error(new IllegalStateException("timed out"));
                })))
                .expectError(IllegalStateException.class)
                .verify(TIMEOUT);

        IdempotentWrites.Answer retried = writes.once(scope, "k", "fp",
                () -> Mono.fromSupplier(() -> {
                    calls.incrementAndGet();
                    return created("{}");
                })).block(TIMEOUT);

        assertThat(retried.status()).isEqualTo(201);
        assertThat(calls).hasValue(2);
    }

    @Test
    void theKeyIsKeptForItsTtlUnderTheCallersScope() {
        String scope = "c:" + UUID.randomUUID();
        writes.once(scope, "k", "fp", () -> Mono.just(created("{}"))).block(TIMEOUT);

        Long ttl = redis.getExpire(IdempotentWrites.redisKey(scope, "k")).map(Duration::toSeconds).block(TIMEOUT);
        assertThat(ttl).isBetween(Duration.ofHours(23).toSeconds(), Duration.ofHours(24).toSeconds());
        assertThat(IdempotentWrites.redisKey(scope, "k")).startsWith("surge:idem:{" + scope + "}:")
                .isNotEqualTo(IdempotentWrites.redisKey("c:other", "k"));
    }
}
