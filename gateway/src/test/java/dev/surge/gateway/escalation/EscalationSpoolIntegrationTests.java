package dev.surge.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.redis.EmbeddedRedis;
import tools.jackson.databind.json.JsonMapper;

/**
 * Redis is stopped while a customer escalates: the escalation is forced to the local spool, the customer still gets
 * 202 (and a retry the same answer), can read it as queued meanwhile (only they can), and once Redis is back it is
 * replayed into the queue exactly once, with the trace id of the request that made it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@DirtiesContext
class EscalationSpoolIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SPOOL = spoolDir();
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    @DynamicPropertySource
    static void spool(DynamicPropertyRegistry registry) {
        registry.add("surge.escalation.spool-dir", SPOOL::toString);
        registry.add("surge.escalation.spool-replay-interval", () -> "5m"); // the test replays by hand
    }

    private static Path spoolDir() {
        try {
            return Files.createTempDirectory("surge-spool-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    WebTestClient client;

    @Autowired
    EmbeddedRedis redis;

    @Autowired
    ReactiveStringRedisTemplate template;

    @Autowired
    EscalationIntake intake;

    @Autowired
    MeterRegistry registry;

    @BeforeEach
    void emptyQueues() {
        // A test that failed with Redis stopped may leave Lettuce reconnecting and its escalation in the spool.
        awaitRedis();
        intake.replaySpool().block(Duration.ofSeconds(5));
        new EscalationClient(client, template).clear();
    }

    private long spooledLines() throws IOException {
        try (Stream<Path> files = Files.list(SPOOL)) {
            long lines = 0;
            for (Path file : files.toList()) {
                lines += Files.readAllLines(file).size();
            }
            return lines;
        }
    }

    @Test
    void anEscalationTakenWhileRedisIsDownIsSpooledAndReplayedExactlyOnce() throws IOException {
        EscalationClient escalations = new EscalationClient(client, template);
        String token = TestTokens.customer(client, "c9001");
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = EscalationClient.web("delivery");

        redis.stop();
        String id;
        try {
            long started = System.nanoTime();
            byte[] accepted = client.post().uri("/api/v1/escalations").headers(h -> {
                        h.setBearerAuth(token);
                        h.set("Idempotency-Key", key);
                        h.set("traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01");
                    }).contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().isAccepted()
                    .expectBody().jsonPath("$.status").isEqualTo("queued")
                    .jsonPath("$.position").doesNotExist()
                    .returnResult().getResponseBody();
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms to accept").isLessThan(3_000);
            id = JSON.readTree(accepted).get("id").asString();
            assertThat(spooledLines()).isEqualTo(1);
            // A retry while Redis is still away gets the same answer, not a second escalation.
            escalations.post(token, key, body).expectStatus().isAccepted().expectBody().jsonPath("$.id").isEqualTo(id);
            assertThat(spooledLines()).isEqualTo(1);
        } finally {
            redis.start();
        }

        // Lettuce reconnects in the background: replay until it is in (bounded), as the scheduled replay would.
        Integer replayed = Flux.interval(Duration.ofMillis(100)).onBackpressureDrop().take(100)
                .concatMap(tick -> intake.replaySpool().onErrorResume(e -> Mono.just(0)))
                .filter(count -> count > 0)
                .blockFirst(Duration.ofSeconds(20));
        assertThat(replayed).isEqualTo(1);
        assertThat(spooledLines()).isZero();
        assertThat(intake.replaySpool().block(Duration.ofSeconds(5))).isZero();

        assertThat(escalations.get(token, id)).containsEntry("status", "queued").containsEntry("position", 1);
        assertThat(escalations.countFor("c9001")).isEqualTo(1);
        // After the replay the key answers from Redis with the same escalation.
        escalations.post(token, key, body).expectStatus().isAccepted().expectBody().jsonPath("$.id").isEqualTo(id);
        assertThat(escalations.countFor("c9001")).isEqualTo(1);
        Map<String, Object> offered = escalations.claim(TestTokens.agent(client, "a-spool", List.of("orders")));
        // The trace of the request that was spooled, replayed with it (the retries, in traces of their own, made
        // the same escalation and changed nothing).
        assertThat(offered).containsEntry("id", id).containsEntry("traceId", TRACE_ID);
        assertThat(escalations.claim(TestTokens.agent(client, "a-spool", List.of("orders")))).isNull();
    }

    @Test
    void aSpooledEscalationReadsAsQueuedForItsCustomerOnlyUntilTheReplayPutsItInTheQueue() throws IOException {
        EscalationClient escalations = new EscalationClient(client, template);
        String token = TestTokens.customer(client, "c9002");
        String other = TestTokens.customer(client, "c9003");

        redis.stop();
        String id;
        try {
            byte[] accepted = escalations.post(token, UUID.randomUUID().toString(), EscalationClient.web("delivery"))
                    .expectStatus().isAccepted().expectBody().returnResult().getResponseBody();
            id = JSON.readTree(accepted).get("id").asString();
            // Redis away: the instance that took it answers from what it spooled.
            assertThat(escalations.get(token, id)).containsEntry("status", "queued").doesNotContainKey("position");
            assertNotFound(other, id);
        } finally {
            redis.start();
        }

        awaitRedis();
        // Redis back but not replayed yet (the scheduled replay is off here): Redis has no such record.
        assertThat(escalations.countFor("c9002")).isZero();
        assertThat(spooledLines()).isEqualTo(1);
        assertThat(escalations.get(token, id)).containsEntry("id", id).containsEntry("status", "queued")
                .doesNotContainKey("position").doesNotContainKey("estimatedWaitSeconds");
        assertNotFound(other, id);
        // Giving up before the replay: not now (503, try again), and never by someone else (404).
        abandon(token, id).expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "300")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/escalation-unavailable");
        abandon(other, id).expectStatus().isNotFound();

        assertThat(replay()).isEqualTo(1);
        assertThat(escalations.get(token, id)).containsEntry("status", "queued").containsEntry("position", 1);
        assertNotFound(other, id);
        // Once in the queue, the same DELETE works and is counted as abandoned.
        double abandoned = registry.counter("surge.escalation.abandoned").count();
        abandon(token, id).expectStatus().isNoContent();
        assertThat(escalations.get(token, id)).containsEntry("status", "abandoned");
        assertThat(registry.counter("surge.escalation.abandoned").count()).isEqualTo(abandoned + 1);
    }

    private WebTestClient.ResponseSpec abandon(String token, String id) {
        return client.delete().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(token)).exchange();
    }

    /**
     * The first attempt reached Redis (its key is done); the retry finds Redis away and is spooled. It must answer the
     * same id and replay into that escalation, not make a second one (the spike run's "two ids for one key").
     */
    @Test
    void aRetrySpooledAfterTheFirstAttemptWasStoredMakesNoSecondEscalation() throws IOException {
        EscalationClient escalations = new EscalationClient(client, template);
        String token = TestTokens.customer(client, "c9004");
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = EscalationClient.web("delivery");
        String id = JSON.readTree(escalations.post(token, key, body).expectStatus().isAccepted().expectBody()
                .returnResult().getResponseBody()).get("id").asString();

        redis.stop();
        try {
            escalations.post(token, key, body).expectStatus().isAccepted().expectBody().jsonPath("$.id").isEqualTo(id);
            assertThat(spooledLines()).isEqualTo(1);
        } finally {
            redis.start();
        }

        assertThat(replay()).isEqualTo(1);
        assertThat(escalations.countFor("c9004")).isEqualTo(1);
        assertThat(escalations.get(token, id)).containsEntry("status", "queued").containsEntry("position", 1);
        escalations.post(token, key, body).expectStatus().isAccepted().expectBody().jsonPath("$.id").isEqualTo(id);
        assertThat(escalations.countFor("c9004")).isEqualTo(1);
    }

    private void assertNotFound(String token, String id) {
        client.get().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** Waits (bounded) until Lettuce has reconnected to the restarted Redis. */
    private void awaitRedis() {
        Flux.interval(Duration.ofMillis(100)).onBackpressureDrop().take(200)
                .concatMap(tick -> template.hasKey("surge:probe").timeout(Duration.ofSeconds(1))
                        .map(answered -> true).onErrorResume(e -> Mono.just(false)))
                .filter(up -> up)
                .blockFirst(Duration.ofSeconds(30));
    }

    /** Replays until something was replayed (bounded), as the scheduled replay would once Lettuce reconnected. */
    private Integer replay() {
        return Flux.interval(Duration.ofMillis(100)).onBackpressureDrop().take(100)
                .concatMap(tick -> intake.replaySpool().onErrorResume(e -> Mono.just(0)))
                .filter(count -> count > 0)
                .blockFirst(Duration.ofSeconds(20));
    }
}
