package dev.surge.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.MutableClock;
import dev.surge.gateway.SimulatorControl;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.VirtualTime;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The customer side over real HTTP, against the embedded Redis and the simulator: Idempotency-Key semantics,
 * validation, ownership, phone escalations, and the hand-off context with the customer's journey.
 */
// Off here: one customer fires 20 retries at once to test Idempotency-Key, which its escalation rate limit would
// (rightly) cut short; rate limits have their own tests.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "surge.ratelimit.enabled=false")
@AutoConfigureWebTestClient
@Import(VirtualTime.class)
class EscalationIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger NEXT_CUSTOMER = new AtomicInteger(7000);

    @Autowired
    WebTestClient client;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    MutableClock clock;

    @LocalServerPort
    int port;

    EscalationClient escalations;

    @BeforeEach
    void emptyQueues() {
        escalations = new EscalationClient(client, redis);
        escalations.clear();
    }

    @AfterEach
    void healBackOffice() {
        client.delete().uri("/demo/backoffice/faults").exchange().expectStatus().is2xxSuccessful();
    }

    private String newCustomer() {
        return "c" + NEXT_CUSTOMER.incrementAndGet();
    }

    @Test
    void createAnswers202WithPlaceWaitAndLocationAndTheCustomerCanReadIt() {
        String token = TestTokens.customer(client, newCustomer());
        String key = UUID.randomUUID().toString();
        var result = escalations.post(token, key, EscalationClient.web("order_problem"))
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.id").isNotEmpty()
                .jsonPath("$.status").isEqualTo("queued")
                .jsonPath("$.position").isEqualTo(1)
                .jsonPath("$.estimatedWaitSeconds").isEqualTo(300) // default handle time, no agent yet
                .returnResult();
        String id = JSON.readTree(result.getResponseBody()).get("id").asString();
        assertThat(result.getResponseHeaders().getLocation()).hasToString("/api/v1/escalations/" + id);

        Map<String, Object> read = escalations.get(token, id);
        assertThat(read).containsEntry("status", "queued").containsEntry("position", 1)
                .containsEntry("reason", "order_problem").containsEntry("channel", "web")
                .doesNotContainKeys("context", "customerId", "agentId");
    }

    @Test
    void theSameKeyAndBodyGetTheSameAnswerAndAnotherBodyGets422() {
        String token = TestTokens.customer(client, newCustomer());
        String key = UUID.randomUUID().toString();
        byte[] first = escalations.post(token, key, EscalationClient.web("billing")).expectStatus().isAccepted()
                .expectBody().returnResult().getResponseBody();
        // Same content in another order and layout: the same request.
        String reordered = "{ \"message\": \"It has not arrived.\", \"channel\": \"web\", \"reason\": \"billing\" }";
        byte[] again = escalations.post(token, key, reordered).expectStatus().isAccepted()
                .expectBody().returnResult().getResponseBody();
        assertThat(again).isEqualTo(first);

        escalations.post(token, key, EscalationClient.web("return"))
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(422);
        // Keys are scoped to the caller: another customer's identical key is a new request.
        String other = TestTokens.customer(client, newCustomer());
        byte[] theirs = escalations.post(other, key, EscalationClient.web("billing")).expectStatus().isAccepted()
                .expectBody().returnResult().getResponseBody();
        assertThat(JSON.readTree(theirs).get("id")).isNotEqualTo(JSON.readTree(first).get("id"));
    }

    @Test
    void concurrentRetriesWithOneKeyMakeExactlyOneEscalation() {
        String customer = newCustomer();
        String token = TestTokens.customer(client, customer);
        String key = UUID.randomUUID().toString();
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        List<String[]> answers = Flux.range(0, 20)
                .flatMap(i -> http.post().uri("/api/v1/escalations")
                        .headers(h -> {
                            h.setBearerAuth(token);
                            h.set("Idempotency-Key", key);
                        })
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(EscalationClient.web("delivery"))
                        .exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("")
                                .map(body -> new String[] {Integer.toString(r.statusCode().value()), body})), 20)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(answers).hasSize(20);
        // Each attempt is told 409 while an earlier one is still being worked on, or gets the first's 202.
        assertThat(answers).extracting(a -> a[0]).containsAnyOf("202").isSubsetOf("202", "409");
        answers.stream().filter(a -> a[0].equals("409")).forEach(a -> assertThat(JSON.readTree(a[1]).get("type")
                .asString()).isEqualTo("https://surge.dev/problems/idempotency-key-in-use"));
        List<String> accepted = answers.stream().filter(a -> a[0].equals("202")).map(a -> a[1]).distinct().toList();
        assertThat(accepted).hasSize(1);
        assertThat(escalations.countFor(customer)).isEqualTo(1);
        // Once done, a retry gets that same 202.
        byte[] again = escalations.post(token, key, EscalationClient.web("delivery")).expectStatus().isAccepted()
                .expectBody().returnResult().getResponseBody();
        assertThat(JSON.readTree(again).get("id")).isEqualTo(JSON.readTree(accepted.get(0)).get("id"));
    }

    @Test
    void aRetryWhileTheFirstAttemptIsStillBeingWorkedOnIsTold409() {
        String customer = newCustomer();
        String token = TestTokens.customer(client, customer);
        String key = UUID.randomUUID().toString();
        byte[] list = client.get().uri("/api/v1/me/orders?limit=1").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        Map<String, Object> body = EscalationClient.web("delivery");
        // the order lookup (not read before, so not cached) is where the first attempt will wait
        body.put("orderId", JSON.readTree(list).get("orders").get(0).get("id").asString());
        client.put().uri("/demo/backoffice/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"endpoints\":{\"order\":{\"latencyMs\":1500,\"errorRate\":0}}}")
                .exchange().expectStatus().isOk();
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        long ordersBefore = orderCalls(http).block(Duration.ofSeconds(5));
        Mono<Integer> first = http.post().uri("/api/v1/escalations")
                .headers(h -> {
                    h.setBearerAuth(token);
                    h.set("Idempotency-Key", key);
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
                .cache();
        first.subscribe();
        // bounded wait until the first attempt is at the back office, i.e. still being worked on
        Long seen = Flux.interval(Duration.ofMillis(10)).onBackpressureDrop().take(500)
                .concatMap(tick -> orderCalls(http))
                .filter(calls -> calls > ordersBefore).blockFirst(Duration.ofSeconds(10));
        assertThat(seen).isNotNull();

        escalations.post(token, key, body).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/idempotency-key-in-use");
        // The first attempt goes on (its order part times out and is named missing) and is the one escalation.
        assertThat(first.block(Duration.ofSeconds(10))).isEqualTo(202);
        escalations.post(token, key, body).expectStatus().isAccepted();
        assertThat(escalations.countFor(customer)).isEqualTo(1);
    }

    private static Mono<Long> orderCalls(WebClient http) {
        return http.get().uri("/demo/backoffice/stats").retrieve().bodyToMono(String.class)
                .map(stats -> JSON.readTree(stats).get("calls").get("order").asLong());
    }

    @Test
    void malformedJsonNoBodyWrongContentTypeAndWrongMethodAreCleanProblems() {
        String customer = newCustomer();
        String token = TestTokens.customer(client, customer);
        assertProblem(client.post().uri("/api/v1/escalations").headers(h -> h.setBearerAuth(token))
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\": ").exchange(), 400);
        assertProblem(client.post().uri("/api/v1/escalations").headers(h -> h.setBearerAuth(token))
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                .exchange(), 400);
        assertProblem(client.post().uri("/api/v1/escalations").headers(h -> h.setBearerAuth(token))
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(MediaType.TEXT_PLAIN)
                .bodyValue("reason=billing").exchange(), 415);
        assertProblem(client.put().uri("/api/v1/escalations").headers(h -> h.setBearerAuth(token))
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(EscalationClient.web("billing")).exchange(), 405);
        assertThat(escalations.countFor(customer)).isZero();
    }

    private static void assertProblem(WebTestClient.ResponseSpec response, int status) {
        byte[] body = response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody();
        assertThat(JSON.readTree(body).get("status").asInt()).isEqualTo(status);
        assertThat(new String(body)).doesNotContain("java", "Exception", "dev.surge");
    }

    @Test
    void missingKeyAndInvalidBodiesAre400ListingEveryField() {
        String token = TestTokens.customer(client, newCustomer());
        client.post().uri("/api/v1/escalations").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(EscalationClient.web("billing")).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("Idempotency-Key"));

        Map<String, Object> bad = new HashMap<>();
        bad.put("reason", "angry");
        bad.put("channel", "fax");
        bad.put("orderId", "not an id!");
        bad.put("message", 42);
        bad.put("customerId", "c1");
        bad.put("contact", Map.of("method", "callback", "phone", "12", "windowStart", "soon"));
        byte[] body = escalations.post(token, UUID.randomUUID().toString(), bad)
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody();
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()).toList())
                .containsExactlyInAnyOrder("reason", "orderId", "message", "channel", "customerId", "contact.phone",
                        "contact.windowStart", "contact.windowEnd");
        assertThat(new String(body)).doesNotContain("java", "Exception", "dev.surge");
    }

    @Test
    void aCustomerNeverSeesAnotherCustomersEscalation() {
        String mine = TestTokens.customer(client, newCustomer());
        String theirs = TestTokens.customer(client, newCustomer());
        String id = escalations.create(mine, EscalationClient.web("return"));

        for (String path : List.of("/api/v1/escalations/" + id, "/api/v1/escalations/" + UUID.randomUUID())) {
            client.get().uri(path).headers(h -> h.setBearerAuth(theirs)).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").isEqualTo("Escalation was not found.");
        }
        client.delete().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(theirs)).exchange()
                .expectStatus().isNotFound();
        client.get().uri("/api/v1/escalations/{id}/events", id).headers(h -> h.setBearerAuth(theirs)).exchange()
                .expectStatus().isNotFound();
        assertThat(escalations.get(mine, id)).containsEntry("status", "queued");
    }

    @Test
    void theCustomerGivesUpAndTheEscalationLeavesTheQueue() {
        String token = TestTokens.customer(client, newCustomer());
        String id = escalations.create(token, EscalationClient.web("other"));
        String next = escalations.create(token, EscalationClient.web("other"));
        assertThat(escalations.get(token, next)).containsEntry("position", 2);

        client.delete().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isNoContent();
        assertThat(escalations.get(token, id)).containsEntry("status", "abandoned").doesNotContainKey("position");
        assertThat(escalations.get(token, next)).containsEntry("position", 1);
        // Giving up twice is harmless.
        client.delete().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isNoContent();
    }

    @Test
    void customersCannotCallTheAgentApi() {
        String token = TestTokens.customer(client, newCustomer());
        for (String path : List.of("/api/v1/agent/escalations/claim", "/api/v1/agent/heartbeat")) {
            client.post().uri(path).headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        client.get().uri("/api/v1/agent/queues").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isForbidden();
        // ... and agents cannot escalate as customers.
        String agent = TestTokens.agent(client, "a-7", List.of("orders"));
        escalations.post(agent, "k", EscalationClient.web("billing")).expectStatus().isForbidden();
    }

    @Test
    void phoneSystemsEscalateForANamedCustomerAndCustomersCannotUsePhone() {
        String ivr = TestTokens.mint(client, Map.of("serviceId", "ivr-1"));
        String customer = newCustomer();
        Map<String, Object> phone = new HashMap<>(Map.of("reason", "billing", "channel", "phone",
                "customerId", customer, "contact", Map.of("method", "callback", "phone", "+4930123456",
                        "windowStart", clock.instant().toString(),
                        "windowEnd", clock.instant().plus(Duration.ofHours(2)).toString())));
        byte[] created = escalations.post(ivr, UUID.randomUUID().toString(), phone).expectStatus().isAccepted()
                .expectBody().jsonPath("$.status").isEqualTo("callback_scheduled").returnResult().getResponseBody();
        String id = JSON.readTree(created).get("id").asString();
        // The IVR may follow what it submitted; the customer sees it as theirs.
        client.get().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(ivr)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.channel").isEqualTo("phone");
        assertThat(escalations.get(TestTokens.customer(client, customer), id))
                .containsEntry("status", "callback_scheduled");

        Map<String, Object> withoutCustomer = new HashMap<>(phone);
        withoutCustomer.remove("customerId");
        escalations.post(ivr, UUID.randomUUID().toString(), withoutCustomer).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("customerId");
        Map<String, Object> customerOnPhone = EscalationClient.web("billing");
        customerOnPhone.put("channel", "phone");
        escalations.post(TestTokens.customer(client, customer), UUID.randomUUID().toString(), customerOnPhone)
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("channel");
    }

    @Test
    void anOrderThatIsNotTheCustomersIs404() {
        String token = TestTokens.customer(client, newCustomer());
        Map<String, Object> body = EscalationClient.web("order_problem");
        body.put("orderId", "O000000000001");
        escalations.post(token, UUID.randomUUID().toString(), body).expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("Order was not found.");
    }

    @Test
    void theHandOffCarriesProfileOrderShipmentAndTheJourneyIncludingErrorsAndStaleAnswers() {
        String customer = newCustomer();
        String token = TestTokens.customer(client, customer);
        byte[] list = client.get().uri("/api/v1/me/orders?limit=1").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        String orderId = JSON.readTree(list).get("orders").get(0).get("id").asString();
        client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();
        client.get().uri("/api/v1/me/orders/{id}", orderId).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk();
        client.get().uri("/api/v1/me/orders/O000000000001").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isNotFound();
        // The back office fails; past the order's TTL the customer gets a stale answer.
        client.put().uri("/demo/backoffice/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"errorRate\":1.0}").exchange().expectStatus().isOk();
        clock.advance(Duration.ofMinutes(2));
        client.get().uri("/api/v1/me/orders/{id}", orderId).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Status", "surge; hit; detail=stale-if-error");

        Map<String, Object> body = EscalationClient.web("delivery");
        body.put("orderId", orderId);
        String id = escalations.create(token, body); // still accepted with the back office down
        client.delete().uri("/demo/backoffice/faults").exchange().expectStatus().is2xxSuccessful();

        String agent = TestTokens.agent(client, "a-handoff", List.of("orders"));
        Map<String, Object> offered = escalations.claim(agent);
        assertThat(offered).containsEntry("id", id).containsEntry("status", "offered");
        JsonNode context = JSON.valueToTree(offered.get("context"));
        // The profile was fresh in the near cache (5 min TTL); account and order had to come from the failing
        // back office and are named as missing rather than failing the escalation.
        assertThat(context.get("customer").get("id").asString()).isEqualTo(customer);
        assertThat(context.get("missing").valueStream().map(JsonNode::asString).toList()).contains("account");
        JsonNode journey = context.get("journey");
        List<String> seen = journey.valueStream()
                .map(e -> e.get("method").asString() + " " + e.get("path").asString() + " " + e.get("status").asInt()
                        + " " + (e.has("cache") ? e.get("cache").asString() : "-"))
                .toList();
        // Newest first.
        assertThat(seen).containsSubsequence(
                "GET /api/v1/me/orders/{orderId} 200 stale-if-error",
                "GET /api/v1/me/orders/{orderId} 404 -",
                "GET /api/v1/me/orders/{orderId} 200 miss",
                "GET /api/v1/me 200 miss",
                "GET /api/v1/me/orders 200 miss");
        assertThat(journey.get(0).get("orderId").asString()).isEqualTo(orderId);
    }

    @Test
    void theClaimCarriesTheWholeContextWhenTheBackOfficeIsUp() {
        // A customer whose newest order has shipped, so that every part of the context, its shipment too, exists.
        String customer;
        String token;
        JsonNode newest;
        int tries = 0;
        do {
            customer = newCustomer();
            String minted = TestTokens.customer(client, customer);
            token = minted;
            newest = JSON.readTree(client.get().uri("/api/v1/me/orders?limit=1").headers(h -> h.setBearerAuth(minted))
                    .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody())
                    .get("orders").get(0);
        } while (!List.of("shipped", "delivered", "returned").contains(newest.get("status").asString())
                && ++tries < 50);
        String orderId = newest.get("id").asString();
        Map<String, Object> body = EscalationClient.web("order_problem");
        body.put("orderId", orderId);
        String id = escalations.create(token, body);

        Map<String, Object> offered = escalations.claim(TestTokens.agent(client, "a-ctx", List.of("orders")));
        assertThat(offered).containsEntry("id", id).containsEntry("customerId", customer)
                .containsEntry("orderId", orderId).containsKey("reservationExpiresAt").containsKey("tier");
        JsonNode context = JSON.valueToTree(offered.get("context"));
        assertThat(context.get("missing").isEmpty()).isTrue();
        assertThat(context.get("account").get("creditStatus").asString()).isNotEmpty();
        assertThat(context.get("order").get("id").asString()).isEqualTo(orderId);
        assertThat(context.get("order").get("customerId").asString()).isEqualTo(customer);
        assertThat(context.has("shipment")).isTrue();
        assertThat(offered.get("tier")).isEqualTo(context.get("customer").get("tier").asString());
    }

    @Test
    void repeatedEscalationsReadTheBackOfficeOncePerPartAndFillTheCacheTheAppReads() {
        String customer = newCustomer();
        String token = TestTokens.customer(client, customer);
        long before = SimulatorControl.calls(client, "customers", "accounts");
        for (int i = 0; i < 3; i++) {
            escalations.create(token, EscalationClient.web("billing"));
        }
        // Profile and account were never read by the app: the first escalation loads them, the next two find them.
        assertThat(SimulatorControl.calls(client, "customers", "accounts") - before).isEqualTo(2);
        client.get().uri("/api/v1/me/account").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectHeader().valueEquals("Cache-Status", "surge; hit");
        assertThat(SimulatorControl.calls(client, "customers", "accounts") - before).isEqualTo(2);

        Map<String, Object> offered = escalations.claim(TestTokens.agent(client, "a-cached", List.of("billing")));
        JsonNode context = JSON.valueToTree(offered.get("context"));
        assertThat(context.get("missing").isEmpty()).isTrue();
        assertThat(context.get("account").get("customerId").asString()).isEqualTo(customer);
        assertThat(context.get("account").has("asOf")).isTrue();
    }
}
