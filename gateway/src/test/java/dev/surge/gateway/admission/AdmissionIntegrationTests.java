package dev.surge.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.surge.gateway.Management;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.security.VerifiedTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Overload, made exact: a fixed limit of 10 and standard customers' reads held in flight by a slow back office.
 * Standard reads (share 0.6 → 6) and anonymous calls (0.5 → 5) are then shed at once; gold, platinum and the agent
 * API still get in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "surge.admission.fixed-limit=10")
@AutoConfigureWebTestClient
class AdmissionIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    private WebTestClient management() {
        return Management.client(managementPort);
    }

    @Autowired
    PriorityLimiter limiter;

    @Autowired
    MeterRegistry registry;

    @Autowired
    AdmissionProperties admission;

    @Autowired
    AdmissionMetrics metrics;

    @Autowired
    WaitingRoom room;

    @Autowired
    VerifiedTokens tokens;

    @Autowired
    ProblemResponses problems;

    @LocalServerPort
    int port;

    @AfterEach
    void heal() {
        client.delete().uri("/demo/backoffice/faults").exchange().expectStatus().is2xxSuccessful();
    }

    private List<String> tokensOfTier(String tier, int count, int from) {
        return TierTokens.ofTier(client, tier, count, from);
    }

    private String newestOrder(String token) {
        byte[] body = client.get().uri("/api/v1/me/orders?limit=1").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return JSON.readTree(body).get("orders").get(0).get("id").asString();
    }

    private EntityExchangeResult<byte[]> get(String path, String token) {
        return client.get().uri(path).headers(h -> {
            if (token != null) {
                h.setBearerAuth(token);
            }
        }).exchange().expectBody().returnResult();
    }

    @Test
    void lowerClassesAreShedFirstWhileHigherClassesAndTheAgentApiStillGetIn() {
        List<String> standard = tokensOfTier("standard", 7, 6100);
        String gold = tokensOfTier("gold", 1, 6100).get(0);
        String platinum = tokensOfTier("platinum", 1, 6100).get(0);
        String agent = TestTokens.agent(client, "a-admission", List.of("orders"));
        List<String> orders = standard.subList(0, 6).stream().map(this::newestOrder).toList();

        client.put().uri("/demo/backoffice/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"endpoints\":{\"order\":{\"latencyMs\":1500,\"errorRate\":0}}}")
                .exchange().expectStatus().isOk();
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        List<Disposable> slow = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String token = standard.get(i);
            slow.add(http.get().uri("/api/v1/me/orders/{id}", orders.get(i)).headers(h -> h.setBearerAuth(token))
                    .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())).subscribe());
        }
        try {
            // wait (bounded) until all six are admitted and waiting on the back office
            Mono.fromSupplier(limiter::inflight).filter(n -> n >= 6)
                    .repeatWhenEmpty(200, ticks -> ticks.delayElements(Duration.ofMillis(10)))
                    .block(Duration.ofSeconds(5));

            long started = System.nanoTime();
            EntityExchangeResult<byte[]> shed = get("/api/v1/me", standard.get(6));
            long shedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(shed.getStatus().value()).isEqualTo(503);
            assertThat(shed.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(shed.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            // with the waiting room off (the default; its own tests turn it on) a shed customer gets the plain 503
            assertThat(JSON.readTree(shed.getResponseBody()).get("type").asString())
                    .isEqualTo("https://surge.dev/problems/overloaded");
            assertThat(shed.getResponseHeaders().getFirst("Surge-Waiting-Room-Ticket")).isNull();
            assertThat(shedMillis).as("shed in %d ms, not queued", shedMillis).isLessThan(1_000);
            EntityExchangeResult<byte[]> anonymous = get("/api/v1/inventory/SKU-00001", null);
            assertThat(anonymous.getStatus().value()).isEqualTo(503);
            assertThat(JSON.readTree(anonymous.getResponseBody()).get("type").asString())
                    .isEqualTo("https://surge.dev/problems/overloaded");

            assertThat(get("/api/v1/me", gold).getStatus().value()).isEqualTo(200);
            assertThat(get("/api/v1/me", platinum).getStatus().value()).isEqualTo(200);
            assertThat(get("/api/v1/agent/queues", agent).getStatus().value()).isEqualTo(200);
            // a standard customer's reads are shed, their escalation is not
            client.post().uri("/api/v1/escalations").headers(h -> {
                h.setBearerAuth(standard.get(6));
                h.set("Idempotency-Key", "admission-" + System.nanoTime());
            }).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"reason\":\"other\",\"channel\":\"web\",\"message\":\"Help\"}")
                    .exchange().expectStatus().isAccepted();
            // without a token the escalation path is the lowest class, not the agents': shed, not let in to a 401
            EntityExchangeResult<byte[]> tokenless = client.post().uri("/api/v1/escalations")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                    .exchange().expectBody().returnResult();
            assertThat(tokenless.getStatus().value()).isEqualTo(503);
            assertThat(JSON.readTree(tokenless.getResponseBody()).get("type").asString())
                    .isEqualTo("https://surge.dev/problems/overloaded");
        } finally {
            slow.forEach(Disposable::dispose);
        }
    }

    @Test
    void atTheFullLimitEvenTheAgentApiIsShedButHealthProbesNeverAre() {
        List<PriorityLimiter.Permit> held = holdTheWholeLimit();
        try {
            String agent = TestTokens.agent(client, "a-full", List.of("orders"));
            assertThat(get("/api/v1/agent/queues", agent).getStatus().value()).isEqualTo(503);
            management().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
            management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        } finally {
            held.forEach(PriorityLimiter.Permit::onIgnore);
        }
        assertThat(get("/api/v1/inventory/SKU-00001", null).getStatus().value()).isEqualTo(200);
    }

    @Test
    void aShedRequestIsAnsweredAheadOfTheFiltersAndItsConnectionStaysUsable() throws Exception {
        List<PriorityLimiter.Permit> held = holdTheWholeLimit();
        try {
            double early = earlyShed();
            String body = "{\"note\":\"" + "x".repeat(2_000) + "\"}";
            List<RawHttp.Response> answers = new ArrayList<>();
            try (RawHttp connection = RawHttp.open(port)) {
                answers.add(connection.send("POST /api/v1/escalations HTTP/1.1\r\nHost: gw\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
                // not an API path (never shed), answered on this port (the actuator has its own)
                answers.add(connection.send("GET /demo/backoffice/faults HTTP/1.1\r\nHost: gw\r\n\r\n"));
                answers.add(connection.send("GET /api/v1/inventory/SKU-00001?fields=all HTTP/1.1\r\nHost: gw\r\n\r\n"));
            }

            // shed without WebFlux, as the filter would have answered: same status, headers and problem
            assertThat(earlyShed()).isEqualTo(early + 2);
            RawHttp.Response shed = answers.get(2);
            assertThat(shed.status()).isEqualTo(503);
            assertThat(shed.header("Retry-After")).isEqualTo("1");
            assertThat(shed.header("Content-Type")).isEqualTo("application/problem+json");
            JsonNode problem = JSON.readTree(shed.body());
            assertThat(problem.get("type").asString()).isEqualTo("https://surge.dev/problems/overloaded");
            assertThat(problem.get("status").asInt()).isEqualTo(503);
            assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/inventory/SKU-00001");
            assertThat(problem.get("retryAfter").asInt()).isEqualTo(1);
            // the first one's body was read and dropped: the next request on the connection was read as a request
            assertThat(answers.get(0).status()).isEqualTo(503);
            assertThat(answers.get(1).status()).isEqualTo(200);
        } finally {
            held.forEach(PriorityLimiter.Permit::onIgnore);
        }
    }

    @Test
    void aTokenNotVerifiedYetIsShedByWhatItClaimsWhichNeverLetsItIn() throws Exception {
        String customer = TestTokens.customer(client, "c6200"); // minted, never presented yet
        String forged = customer.substring(0, customer.lastIndexOf('.') + 1) + "AAAA";
        List<PriorityLimiter.Permit> held = holdTheWholeLimit();
        try {
            double early = earlyShed();
            assertThat(get("/api/v1/me", customer).getStatus().value()).isEqualTo(503);
            assertThat(get("/api/v1/me", forged).getStatus().value()).isEqualTo(503);
            assertThat(earlyShed()).isEqualTo(early + 2);
        } finally {
            held.forEach(PriorityLimiter.Permit::onIgnore);
        }
        assertThat(get("/api/v1/me", customer).getStatus().value()).isEqualTo(200);
        assertThat(get("/api/v1/me", forged).getStatus().value()).isEqualTo(401);
    }

    @Test
    void onlyACallerWhoseTokenVerifiedIsToldToTheListenersOfEarlySheds() {
        String verified = TestTokens.customer(client, "c6210");
        assertThat(get("/api/v1/me", verified).getStatus().value()).isEqualTo(200);
        String other = TestTokens.customer(client, "c6211");
        String forged = other.substring(0, other.lastIndexOf('.') + 1) + "AAAA";
        List<String> told = new ArrayList<>();
        EarlyShed gate = new EarlyShed(limiter, admission, metrics, room, tokens, problems,
                List.of((caller, method, path) -> told.add(caller.id() + " " + method + " " + path)),
                new SimpleMeterRegistry());
        assertThat(gate.shed("GET", "/api/v1/me", "Bearer " + verified, false)).as("room to spare").isNull();

        List<PriorityLimiter.Permit> held = holdTheWholeLimit();
        try {
            assertThat(gate.shed("GET", "/api/v1/me?x=1", "Bearer " + verified, false)).isNotNull();
            assertThat(gate.shed("GET", "/api/v1/me", "Bearer " + forged, false)).isNotNull();
            assertThat(gate.shed("GET", "/api/v1/me", null, false)).isNotNull();
            assertThat(gate.shed("GET", "/api/v1/me", "Bearer " + verified, true)).as("holds a ticket").isNull();
            assertThat(gate.shed("GET", "/actuator/health", null, false)).as("not the API").isNull();
            assertThat(gate.shed("GET", "/api/v1/escalations/e1/events", null, false)).as("a stream").isNull();
        } finally {
            held.forEach(PriorityLimiter.Permit::onIgnore);
        }
        // the verified customer and the anonymous caller (known to be nobody), never whom a token only claims to be
        assertThat(told).containsExactly("c6210 GET /api/v1/me", "null GET /api/v1/me");
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyCame() throws Exception {
        String gold = tokensOfTier("gold", 1, 6300).get(0);
        String order = newestOrder(gold);
        client.put().uri("/demo/backoffice/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"endpoints\":{\"order\":{\"latencyMs\":600,\"errorRate\":0}}}")
                .exchange().expectStatus().isOk();
        // standard reads (6) and anonymous calls (5) full, gold (7) not
        List<PriorityLimiter.Permit> held = hold(6);
        try {
            double early = earlyShed();
            List<RawHttp.Response> answers;
            try (RawHttp connection = RawHttp.open(port)) {
                answers = connection.pipeline(""
                        + "GET /api/v1/me/orders/" + order + " HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + gold
                        + "\r\n\r\n"
                        + "GET /api/v1/inventory/SKU-00001 HTTP/1.1\r\nHost: gw\r\n\r\n", 2);
            }

            assertThat(answers.get(0).status()).as("the slow order first").isEqualTo(200);
            assertThat(JSON.readTree(answers.get(0).body()).get("id").asString()).isEqualTo(order);
            assertThat(answers.get(1).status()).isEqualTo(503);
            // behind a request still being answered, the shed one went on to the filter, not out ahead of it
            assertThat(earlyShed()).isEqualTo(early);
        } finally {
            held.forEach(PriorityLimiter.Permit::onIgnore);
        }
    }

    private List<PriorityLimiter.Permit> holdTheWholeLimit() {
        return hold(Integer.MAX_VALUE);
    }

    /**
     * Up to {@code most} permits (as many as the limit gives), and no other request in flight: first waits (bounded)
     * for requests of earlier tests to finish.
     */
    private List<PriorityLimiter.Permit> hold(int most) {
        Mono.fromSupplier(limiter::inflight).filter(n -> n == 0)
                .repeatWhenEmpty(500, ticks -> ticks.delayElements(Duration.ofMillis(10)))
                .block(Duration.ofSeconds(10));
        List<PriorityLimiter.Permit> held = new ArrayList<>();
        PriorityLimiter.Permit permit;
        while (held.size() < most && (permit = limiter.tryAcquire(Priority.AGENT_AND_ESCALATION)) != null) {
            held.add(permit);
        }
        return held;
    }

    private double earlyShed() {
        return registry.get("surge.admission.shed.early").counter().count();
    }

    @Test
    void theLoopLagOfTheServersLoopsIsPublished() {
        // How a busy loop shows in it: LoopLagTests, on a loop the test owns. The server's loops here are Reactor
        // Netty's global ones, which a context closed by @DirtiesContext elsewhere disposes, a race no assertion on
        // their probes should depend on.
        String prometheus = management().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(prometheus).contains("surge_admission_loop_lag_seconds_bucket{le=\"0.005\"}");
    }
}
