package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.Management;
import dev.surge.gateway.MutableClock;
import dev.surge.gateway.MutableClockConfiguration;
import dev.surge.gateway.SimulatorControl;
import dev.surge.gateway.TestTokens;
import tools.jackson.databind.json.JsonMapper;

/**
 * The guards on the real read path: the gateway on a random port, the embedded Redis, the back-office simulator over
 * HTTP driven through its fault endpoint, and a clock the test moves so the breaker's open wait passes without
 * waiting. Each test works on its own dependency, so the breakers' windows do not mix: orders (breaker), customers
 * and accounts (isolation), accounts and inventory (retry).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "surge.resilience.circuit-breaker.sliding-window-size=4",
        "surge.resilience.circuit-breaker.minimum-number-of-calls=4",
        "surge.resilience.circuit-breaker.permitted-calls-in-half-open-state=2",
        "surge.resilience.circuit-breaker.wait-in-open-state=10m",
        "surge.resilience.retry.initial-backoff=1ms",
        "surge.resilience.dependencies.customers.max-concurrent-calls=2",
        "surge.backoffice.dependencies.customers.timeout=6s"})
@AutoConfigureWebTestClient
@Import(MutableClockConfiguration.class)
class ResilienceIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger NEXT_CUSTOMER = new AtomicInteger(7000);
    private static final String PROBLEMS = "https://surge.dev/problems/";

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    private WebTestClient management() {
        return Management.client(managementPort);
    }

    @Autowired
    MutableClock clock;

    @LocalServerPort
    int port;

    @AfterEach
    void healBackOffice() {
        SimulatorControl.heal(client);
    }

    private void faults(String json) {
        SimulatorControl.faults(client, json);
    }

    private long calls(String... endpoints) {
        return SimulatorControl.calls(client, endpoints);
    }

    private String newCustomerToken() {
        return TestTokens.customer(client, "c" + NEXT_CUSTOMER.incrementAndGet());
    }

    private EntityExchangeResult<byte[]> get(String token, String path) {
        return client.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange().expectBody().returnResult();
    }

    private String circuitState(String dependency) {
        byte[] health = management().get().uri("/actuator/health/resilience").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(health).at("/components/circuitBreakers/details/" + dependency + "/state").asString();
    }

    private static void assertCircuitOpenProblem(EntityExchangeResult<byte[]> result, String retryAfter) {
        assertThat(result.getStatus().value()).isEqualTo(503);
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(retryAfter);
        String body = new String(result.getResponseBody());
        assertThat(JSON.readTree(body).get("type").asString()).isEqualTo(PROBLEMS + "backoffice-circuit-open");
        assertThat(body).doesNotContainIgnoringCase("resilience4j").doesNotContainIgnoringCase("CallNotPermitted")
                .doesNotContain("dev.surge");
    }

    @Test
    void aFailingBackOfficeOpensTheBreakerCallsStopReachingItAndItClosesAgainWhenHealed() {
        String token = newCustomerToken();
        byte[] page = get(token, "/api/v1/me/orders?limit=1").getResponseBody();
        String orderId = JSON.readTree(page).get("orders").get(0).get("id").asString();
        byte[] cachedOrder = get(token, "/api/v1/me/orders/" + orderId).getResponseBody();
        faults("{\"endpoints\":{\"orders\":{\"errorRate\":1.0},\"order\":{\"errorRate\":1.0}}}");

        // Cold pages (limit 2, 3, ...) must ask the back office; it fails until the breaker has seen enough calls.
        int limit = 1;
        int status = 0;
        while (status != 503 && limit < 6) {
            limit++;
            status = get(token, "/api/v1/me/orders?limit=" + limit).getStatus().value();
            assertThat(status).as("a failing back office gives 502 until the breaker opens").isIn(502, 503);
        }
        assertThat(status).as("the breaker opens after its minimum number of calls").isEqualTo(503);
        assertThat(circuitState("orders")).isEqualTo("OPEN");

        long before = calls("orders", "order");
        for (int i = 0; i < 3; i++) {
            limit++;
            assertCircuitOpenProblem(get(token, "/api/v1/me/orders?limit=" + limit), "600");
        }
        assertThat(calls("orders", "order")).as("an open breaker keeps calls off the back office").isEqualTo(before);

        // Past the order's TTL and stale-while-revalidate: the cached order stands in, marked stale-if-error.
        clock.advance(Duration.ofMinutes(2));
        EntityExchangeResult<byte[]> stale = get(token, "/api/v1/me/orders/" + orderId);
        assertThat(stale.getStatus().value()).isEqualTo(200);
        assertThat(stale.getResponseHeaders().getFirst("Cache-Status")).isEqualTo("surge; hit; detail=stale-if-error");
        assertThat(stale.getResponseBody()).isEqualTo(cachedOrder);
        // With nothing cached: 503 at once, Retry-After the rest of the 10 min wait on the test's clock.
        assertCircuitOpenProblem(get(token, "/api/v1/me/orders?limit=" + (++limit)), "480");
        assertThat(calls("orders", "order")).isEqualTo(before);

        // An open breaker takes no instance out of rotation, and shows in metrics.
        management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.circuitBreakers").doesNotExist();
        management().get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(metrics -> assertThat(metrics)
                        .contains("resilience4j_circuitbreaker_state{name=\"orders\",state=\"open\"} 1.0"));

        // Healed, but still inside the wait: still no calls.
        SimulatorControl.heal(client);
        assertCircuitOpenProblem(get(token, "/api/v1/me/orders?limit=" + (++limit)), "480");
        assertThat(calls("orders", "order")).isEqualTo(before);

        // Past the wait: two probes reach the back office, succeed, and the breaker closes.
        clock.advance(Duration.ofMinutes(9));
        for (int probe = 0; probe < 2; probe++) {
            assertThat(get(token, "/api/v1/me/orders?limit=" + (++limit)).getStatus().value()).isEqualTo(200);
        }
        assertThat(calls("orders", "order")).isEqualTo(before + 2);
        assertThat(circuitState("orders")).isEqualTo("CLOSED");
        assertThat(get(token, "/api/v1/me/orders?limit=" + (++limit)).getStatus().value()).isEqualTo(200);
    }

    @Test
    void aSlowDependencyFillsOnlyItsOwnBulkheadWhileAnotherAnswersAtOnce() {
        List<String> slowTokens = Flux.range(0, 4).map(i -> newCustomerToken()).collectList().block();
        List<String> fastTokens = Flux.range(0, 5).map(i -> newCustomerToken()).collectList().block();
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        long customersBefore = calls("customers");
        faults("{\"endpoints\":{\"customers\":{\"latencyMs\":2000}}}");

        // Two slow calls take the customers bulkhead's two permits...
        CompletableFuture<Integer> slow1 = status(http, "/api/v1/me", slowTokens.get(0)).toFuture();
        CompletableFuture<Integer> slow2 = status(http, "/api/v1/me", slowTokens.get(1)).toFuture();
        Long arrived = Flux.interval(Duration.ofMillis(20)).onBackpressureDrop().take(250)
                .concatMap(tick -> http.get().uri("/demo/backoffice/stats").retrieve().bodyToMono(Map.class))
                .map(stats -> ((Number) ((Map<?, ?>) stats.get("calls")).get("customers")).longValue())
                .filter(n -> n >= customersBefore + 2)
                .blockFirst(Duration.ofSeconds(10));
        assertThat(arrived).isEqualTo(customersBefore + 2);

        // ...so more calls to customers are refused at once, before the slow ones are done...
        for (String token : slowTokens.subList(2, 4)) {
            EntityExchangeResult<byte[]> refused = get(token, "/api/v1/me");
            assertThat(refused.getStatus().value()).isEqualTo(503);
            assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(JSON.readTree(refused.getResponseBody()).get("type").asString())
                    .isEqualTo(PROBLEMS + "backoffice-overloaded");
        }
        assertThat(slow1).as("refusals do not wait for a permit").isNotDone();
        management().get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(metrics -> assertThat(metrics)
                        .contains("surge_resilience_bulkhead_rejected_total{name=\"customers\"} 2.0"));

        // ...while accounts, on the same connection pool, answer all at once, still before the slow ones.
        List<Integer> accounts = Flux.fromIterable(fastTokens)
                .flatMap(token -> status(http, "/api/v1/me/account", token))
                .collectList().block(Duration.ofSeconds(10));
        assertThat(accounts).containsOnly(200).hasSize(5);
        assertThat(slow1).isNotDone();
        assertThat(slow2).isNotDone();

        assertThat(slow1.join()).isEqualTo(200);
        assertThat(slow2.join()).isEqualTo(200);
        assertThat(calls("customers")).as("refused calls never reached the back office")
                .isEqualTo(customersBefore + 2);
    }

    private static Mono<Integer> status(WebClient http, String path, String token) {
        return http.get().uri(path).headers(h -> h.setBearerAuth(token))
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()));
    }

    @Test
    void aReadThatFailsOnceIsRetriedAndTheCustomerGetsTheAnswer() {
        String token = newCustomerToken();
        long before = calls("accounts");
        faults("{\"endpoints\":{\"accounts\":{\"failNext\":1}}}");

        client.get().uri("/api/v1/me/account").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk();
        assertThat(calls("accounts") - before).as("one failed attempt, one retry").isEqualTo(2);
        management().get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(metrics -> assertThat(metrics)
                        .containsPattern("resilience4j_retry_calls_total\\{kind=\"successful_with_retry\","
                                + "name=\"accounts\"} [1-9]"));
    }

    @Test
    void notFoundIsNotRetried() {
        long before = calls("inventory");
        client.get().uri("/api/v1/inventory/SKU-99990").exchange().expectStatus().isNotFound();
        assertThat(calls("inventory") - before).isEqualTo(1);
    }
}
