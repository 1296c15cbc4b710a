package dev.surge.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.Management;
import dev.surge.gateway.MutableClock;
import dev.surge.gateway.MutableClockConfiguration;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.demo.BackOfficeSimulator;
import dev.surge.gateway.redis.EmbeddedRedis;

/**
 * Readiness is this instance alone: with the back office down, or Redis stopped, every instance stays in rotation and
 * does what it was built for in that moment (stale answers, the escalation spool, the agent API), while the outage
 * shows in {@code /actuator/health} components. The actuator answers on its own port only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "surge.escalation.spool-replay-interval=200ms")
@AutoConfigureWebTestClient
@Import(MutableClockConfiguration.class)
@DirtiesContext
class InstanceReadinessIntegrationTests {

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @Autowired
    MutableClock clock;

    @Autowired
    BackOfficeSimulator backOffice;

    @Autowired
    EmbeddedRedis redis;

    @Autowired
    ReactiveStringRedisTemplate template;

    private WebTestClient management() {
        return Management.client(managementPort);
    }

    @BeforeEach
    void emptyQueues() {
        // After the Redis test Lettuce reconnects in the background: wait for it (bounded).
        Flux.interval(Duration.ofMillis(100)).onBackpressureDrop().take(200)
                .concatMap(tick -> template.hasKey("surge:probe").timeout(Duration.ofSeconds(1))
                        .map(answered -> true).onErrorResume(e -> Mono.just(false)))
                .filter(up -> up)
                .blockFirst(Duration.ofSeconds(30));
        new EscalationClient(client, template).clear();
    }

    private void ready() {
        management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        management().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    private EntityExchangeResult<byte[]> me(String token) {
        return client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange()
                .expectBody().returnResult();
    }

    @Test
    void theActuatorIsOnlyOnTheManagementPort() {
        assertThat(managementPort).isNotZero();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
        ready();
        // The shared dependencies' health, which readiness no longer carries, as gauges (first check at start-up).
        // Checked every 15 s: after another test stopped and restarted a dependency, the next check sets it back.
        String prometheus = Flux.interval(Duration.ZERO, Duration.ofMillis(100)).onBackpressureDrop().take(250)
                .concatMap(tick -> Mono.fromCallable(() -> management().get().uri("/actuator/prometheus").exchange()
                        .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                        .subscribeOn(Schedulers.boundedElastic()))
                .filter(body -> body.contains("surge_health{component=\"redis\"} 1.0")
                        && body.contains("surge_health{component=\"backOffice\"} 1.0"))
                .blockFirst(Duration.ofSeconds(25));
        assertThat(prometheus).isNotNull();
    }

    @Test
    void withTheBackOfficeDownTheInstanceStaysReadyServesStaleAnswersAndEscalationsReachAgents() {
        EscalationClient escalations = new EscalationClient(client, template);
        String token = TestTokens.customer(client, "c4101");
        String agent = TestTokens.agent(client, "a-ready", List.of("orders"));
        assertThat(me(token).getStatus().value()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(7)); // past the profile's TTL (5 min) and stale-while-revalidate (1 min)

        backOffice.stop();
        try {
            ready();
            // The simulator's last connections close as it stops; the health check sees it gone within a bound.
            Integer health = Flux.interval(Duration.ZERO, Duration.ofMillis(100)).onBackpressureDrop().take(50)
                    .concatMap(tick -> Mono.fromCallable(() -> management().get().uri("/actuator/health").exchange()
                                    .returnResult(byte[].class).getStatus().value())
                            .subscribeOn(Schedulers.boundedElastic()))
                    .filter(status -> status == 503)
                    .blockFirst(Duration.ofSeconds(10));
            assertThat(health).as("health DOWN once the back office is gone").isEqualTo(503);
            management().get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.components.backOffice.status").isEqualTo("DOWN")
                    .jsonPath("$.components.redis.status").isEqualTo("UP");

            EntityExchangeResult<byte[]> stale = me(token);
            assertThat(stale.getStatus().value()).isEqualTo(200);
            assertThat(stale.getResponseHeaders().getFirst("Cache-Status"))
                    .isEqualTo("surge; hit; detail=stale-if-error");

            // The hand-off context cannot be fetched; the escalation is taken all the same, and an agent gets it.
            String id = escalations.create(token, EscalationClient.web("delivery"));
            Map<String, Object> offered = escalations.claim(agent);
            assertThat(offered).containsEntry("id", id);
            ready();
        } finally {
            backOffice.start();
        }
    }

    @Test
    void withRedisStoppedTheInstanceStaysReadyAnswersFromItsNearCacheSpoolsEscalationsAndTheAgentApiAnswers() {
        EscalationClient escalations = new EscalationClient(client, template);
        String token = TestTokens.customer(client, "c4102");
        String agent = TestTokens.agent(client, "a-ready-2", List.of("orders"));
        assertThat(me(token).getStatus().value()).isEqualTo(200);

        redis.stop();
        String id;
        try {
            ready();
            management().get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.components.redis.status").isEqualTo("DOWN");

            assertThat(me(token).getStatus().value()).isEqualTo(200);
            byte[] accepted = escalations.post(token, "ready-" + System.nanoTime(), EscalationClient.web("delivery"))
                    .expectStatus().isAccepted()
                    .expectBody().jsonPath("$.status").isEqualTo("queued")
                    .returnResult().getResponseBody();
            id = new String(accepted).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");

            // The agent API answers at once, with what it can say: the queue is away for now, try again shortly.
            long started = System.nanoTime();
            client.get().uri("/api/v1/agent/queues").headers(h -> h.setBearerAuth(agent)).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/queue-unavailable");
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms to answer").isLessThan(2_000);
            ready();
        } finally {
            redis.start();
        }

        // Redis back: the spool replays on its own and the agent gets the escalation taken during the outage.
        Object claimed = Flux.interval(Duration.ofMillis(200)).onBackpressureDrop().take(100)
                .concatMap(tick -> Mono.fromCallable(() -> client.post().uri("/api/v1/agent/escalations/claim")
                        .headers(h -> h.setBearerAuth(agent)).exchange()
                        .expectBody(Map.class).returnResult()).subscribeOn(Schedulers.boundedElastic()))
                .filter(result -> result.getStatus().value() == 200)
                .map(result -> result.getResponseBody().get("id"))
                .blockFirst(Duration.ofSeconds(30));
        assertThat(claimed).isEqualTo(id);
    }
}
