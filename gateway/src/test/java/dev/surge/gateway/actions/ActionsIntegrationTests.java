package dev.surge.gateway.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.SurgeApplication;
import dev.surge.gateway.DemoOrders;
import dev.surge.gateway.DemoOrders.Found;
import dev.surge.gateway.SimulatorControl;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.VirtualTime;
import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.demo.BackOfficeSimulator;
import dev.surge.gateway.redis.EmbeddedRedis;
import dev.surge.gateway.backoffice.ReturnableLine;

/**
 * Self-service actions over real HTTP against the simulator: each done once per Idempotency-Key (retries and 20
 * concurrent ones make one back-office write), refused with the back office's reason and an escalation to send,
 * read back at once, and done by an agent only for the customer of the escalation they hold. Same context as the
 * escalation tests (rate limits off, so 20 retries of one customer are not cut at the action class's burst).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "surge.ratelimit.enabled=false")
@AutoConfigureWebTestClient
@Import(VirtualTime.class)
class ActionsIntegrationTests {

    /** Each search starts at a customer no earlier search (nor another test class) looked at. */
    private static final AtomicInteger NEXT_CUSTOMER = new AtomicInteger(96_000);

    private static final Duration WAIT = Duration.ofSeconds(10);
    

    @Autowired
    WebTestClient client;

    @Autowired
    BackOfficeClient backOffice;

    private DemoOrders orders;

    @org.junit.jupiter.api.BeforeEach
    void finder() {
        orders = new DemoOrders(backOffice, NEXT_CUSTOMER);
    }

    @Autowired
    ReactiveStringRedisTemplate redis;

    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };


    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return (List<String>) value;
    }

    @AfterEach
    void heal() {
        SimulatorControl.heal(client);
    }

    private Found find(Predicate<Found> wanted) {
        return orders.find(wanted);
    }

    private static ReturnableLine returnable(Found found) {
        return found.returnable();
    }

    private static Map<String, Object> returnOf(String sku, int quantity) {
        return Map.of("lines", List.of(Map.of("sku", sku, "quantity", quantity)), "reason", "damaged");
    }

    private WebTestClient.ResponseSpec post(String token, String path, String key, Object body) {
        return client.post().uri(path).headers(h -> {
                    h.setBearerAuth(token);
                    if (key != null) {
                        h.set("Idempotency-Key", key);
                    }
                }).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void whatAnOrderAllowsIsListedAndAReturnIsMadeOnceWithItsRmaAndReadBackAtOnce() {
        Found found = find(f -> f.actions().returns().allowed());
        String token = TestTokens.customer(client, found.customer());
        String order = found.order().id();
        client.get().uri("/api/v1/me/orders/{id}/actions", order).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.returns.allowed").isEqualTo(true)
                .jsonPath("$.returns.deadline").exists()
                .jsonPath("$.returns.lines[0].refundEstimate").exists();
        ReturnableLine line = returnable(found);
        long applied = SimulatorControl.writes(client, "returns", "applied");
        String key = UUID.randomUUID().toString();

        Map<String, Object> created = post(token, "/api/v1/me/orders/" + order + "/returns", key, returnOf(line.sku(), 1))
                .expectStatus().isCreated()
                .expectHeader().valueMatches(HttpHeaders.LOCATION, "/api/v1/me/returns/.+")
                .expectBody(MAP).returnResult().getResponseBody();
        assertThat(created).containsKeys("rma", "labelUrl", "refund", "shipBy");
        Map<String, Object> again = post(token, "/api/v1/me/orders/" + order + "/returns", key, returnOf(line.sku(), 1))
                .expectStatus().isCreated().expectBody(MAP).returnResult().getResponseBody();
        assertThat(again).isEqualTo(created);
        assertThat(SimulatorControl.writes(client, "returns", "applied") - applied).as("one back-office write")
                .isEqualTo(1);

        // Read your writes: the return is listed, and what the order allows now counts it.
        client.get().uri("/api/v1/me/returns/{rma}", created.get("rma")).headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("awaiting_parcel");
        client.get().uri("/api/v1/me/returns").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.returns[?(@.rma == '" + created.get("rma") + "')]")
                .exists();
        client.get().uri("/api/v1/me/orders/{id}/actions", order).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.returns.lines[?(@.sku == '" + line.sku() + "')].returned").isEqualTo(List.of(
                        line.returned() + 1));
        // The same key with another request: 422, nothing done.
        post(token, "/api/v1/me/orders/" + order + "/returns", key, returnOf(line.sku(), 2))
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/idempotency-key-reused");
    }

    @Test
    void twentyConcurrentRetriesMakeOneBackOfficeWrite() {
        Found found = find(f -> f.actions().returns().allowed());
        String token = TestTokens.customer(client, found.customer());
        ReturnableLine line = returnable(found);
        long applied = SimulatorControl.writes(client, "returns", "applied");
        String key = UUID.randomUUID().toString();
        String path = "/api/v1/me/orders/" + found.order().id() + "/returns";

        List<Integer> statuses = Flux.range(0, 20)
                .flatMap(i -> reactor.core.publisher.Mono.fromCallable(() -> client.post().uri(path).headers(h -> {
                            h.setBearerAuth(token);
                            h.set("Idempotency-Key", key);
                        }).contentType(MediaType.APPLICATION_JSON).bodyValue(returnOf(line.sku(), 1))
                        .exchange().returnResult(byte[].class).getStatus().value())
                        .subscribeOn(Schedulers.boundedElastic()), 20)
                .collectList().block(WAIT);
        assertThat(statuses).as("the first attempt's answer, or 409 while it runs").hasSize(20)
                .allSatisfy(status -> assertThat(status).isIn(201, 409)).contains(201);
        assertThat(SimulatorControl.writes(client, "returns", "applied") - applied).isEqualTo(1);
        // Once the first is done, every retry gets its answer.
        post(token, path, key, returnOf(line.sku(), 1)).expectStatus().isCreated();
    }

    @Test
    void aRefusalSaysWhyAndOffersAPrefilledEscalationThatCanBeSentAsIs() {
        Found found = find(f -> !f.actions().returns().allowed()
                && f.actions().returns().reason() == dev.surge.gateway.backoffice.Refusal.ORDER_NOT_DELIVERED);
        String token = TestTokens.customer(client, found.customer());
        String order = found.order().id();
        String sku = backOffice.order(found.customer(), order).block(WAIT).lines().get(0).sku();

        Map<String, Object> problem = post(token, "/api/v1/me/orders/" + order + "/returns", UUID.randomUUID().toString(),
                returnOf(sku, 1))
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(MAP).returnResult().getResponseBody();
        assertThat(problem.get("type")).isEqualTo("https://surge.dev/problems/order-not-delivered");
        Map<String, Object> escalation = map(problem.get("escalation"));
        assertThat(escalation).containsEntry("method", "POST").containsEntry("href", "/api/v1/escalations");
        Map<String, Object> body = map(escalation.get("body"));
        assertThat(body).containsEntry("reason", "return").containsEntry("orderId", order)
                .containsEntry("channel", "web");
        assertThat((String) body.get("message")).contains(order);

        // The app sends the offer as it came: the escalation is accepted, and its hand-off shows the refusal.
        new EscalationClient(client, redis).post(token, UUID.randomUUID().toString(), body).expectStatus().isAccepted();
    }

    @Test
    void anotherCustomersOrderIs404LikeAMissingOneAndBadInputNamesEveryField() {
        Found found = find(f -> f.actions().returns().allowed());
        String stranger = TestTokens.customer(client, orders.nextCustomer());
        String sku = returnable(found).sku();
        post(stranger, "/api/v1/me/orders/" + found.order().id() + "/returns", UUID.randomUUID().toString(),
                returnOf(sku, 1)).expectStatus().isNotFound();

        String token = TestTokens.customer(client, found.customer());
        String path = "/api/v1/me/orders/" + found.order().id() + "/returns";
        post(token, path, null, returnOf(sku, 1)).expectStatus().isBadRequest();
        post(token, path, UUID.randomUUID().toString(),
                Map.of("lines", List.of(Map.of("sku", "bad sku!", "quantity", 0)), "reason", "bored"))
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[*].field").value(fields -> assertThat(strings(fields))
                        .contains("lines[0].sku", "lines[0].quantity", "reason"));
    }

    @Test
    void aBackOfficeThatFailsLeavesNothingDoneAndOffersAPerson() {
        Found found = find(f -> f.actions().cancellation().allowed());
        String token = TestTokens.customer(client, found.customer());
        long applied = SimulatorControl.writes(client, "cancellation", "applied");
        SimulatorControl.faults(client, "{\"writes\":{\"errorRate\":1.0}}");
        String key = UUID.randomUUID().toString();
        String path = "/api/v1/me/orders/" + found.order().id() + "/cancellation";

        Map<String, Object> problem = post(token, path, key, Map.of()).expectStatus().value(status ->
                        assertThat(status).isIn(502, 503))
                .expectBody(MAP).returnResult().getResponseBody();
        assertThat(problem).containsKey("escalation");
        assertThat(SimulatorControl.writes(client, "cancellation", "applied")).isEqualTo(applied);

        // The key was let go: healed, the same request with the same key is done, once.
        SimulatorControl.heal(client);
        post(token, path, key, Map.of()).expectStatus().isOk().expectBody().jsonPath("$.orderId")
                .isEqualTo(found.order().id());
        assertThat(SimulatorControl.writes(client, "cancellation", "applied") - applied).isEqualTo(1);
        client.get().uri("/api/v1/me/orders/{id}", found.order().id()).headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("cancelled");
    }

    @Test
    void preferencesChangeOnlyFromTheVersionRead() {
        String customer = orders.nextCustomer();
        String token = TestTokens.customer(client, customer);
        var read = client.get().uri("/api/v1/me/preferences").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(MAP).returnResult();
        String etag = read.getResponseHeaders().getETag();
        Map<String, Object> preferences = read.getResponseBody();
        assertThat(etag).isNotBlank();

        client.put().uri("/api/v1/me/preferences").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(preferences).exchange()
                .expectStatus().isEqualTo(428);
        String changed = client.put().uri("/api/v1/me/preferences").headers(h -> {
                    h.setBearerAuth(token);
                    h.setIfMatch(etag);
                }).contentType(MediaType.APPLICATION_JSON).bodyValue(preferences).exchange()
                .expectStatus().isOk().returnResult(byte[].class).getResponseHeaders().getETag();
        assertThat(changed).isNotEqualTo(etag);
        // Someone else's change came first: 412, nothing overwritten.
        client.put().uri("/api/v1/me/preferences").headers(h -> {
                    h.setBearerAuth(token);
                    h.setIfMatch(etag);
                    h.set("Idempotency-Key", UUID.randomUUID().toString());
                }).contentType(MediaType.APPLICATION_JSON).bodyValue(preferences).exchange()
                .expectStatus().isEqualTo(412);
    }

    @Test
    void anAgentActsForTheCustomerTheyHoldAndIsRefusedForAnyOther() {
        Found found = find(f -> f.actions().returns().allowed());
        String customer = TestTokens.customer(client, found.customer());
        EscalationClient escalations = new EscalationClient(client, redis);
        escalations.clear();
        Map<String, Object> about = EscalationClient.web("return");
        about.put("orderId", found.order().id());
        String id = escalations.create(customer, about);
        String agent = TestTokens.agent(client, "a-acts", List.of("returns"));
        String other = TestTokens.agent(client, "a-other", List.of("returns"));
        assertThat(escalations.claim(agent)).containsEntry("id", id);
        Map<String, Object> body = new java.util.HashMap<>(returnOf(returnable(found).sku(), 1));
        body.put("orderId", found.order().id());
        String path = "/api/v1/agent/escalations/" + id + "/returns";

        post(agent, path, UUID.randomUUID().toString(), body).expectStatus().isForbidden(); // offered, not accepted
        escalations.step(agent, id, "accept", Map.of()).expectStatus().isOk();
        post(other, path, UUID.randomUUID().toString(), body).expectStatus().isForbidden();
        post(agent, path, UUID.randomUUID().toString(), body).expectStatus().isCreated()
                .expectBody().jsonPath("$.customerId").isEqualTo(found.customer());

        // The next agent sees it on the escalation, and the customer's journey shows who did it.
        client.get().uri("/api/v1/agent/escalations/{id}", id).headers(h -> h.setBearerAuth(agent)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.actions[0].agentId").isEqualTo("a-acts")
                .jsonPath("$.actions[0].action").isEqualTo("return")
                .jsonPath("$.actions[0].status").isEqualTo(201);
    }

    @Test
    void anotherInstanceReadsTheNewStateRightAfterTheWrite(@Autowired EmbeddedRedis embeddedRedis,
                                                           @Autowired BackOfficeSimulator simulator) {
        Found found = find(f -> f.actions().cancellation().allowed());
        String order = "/api/v1/me/orders/" + found.order().id();
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(SurgeApplication.class).run(
                "--server.port=0", "--management.server.port=0", "--surge.ratelimit.enabled=false",
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + embeddedRedis.port(),
                "--surge.backoffice.base-url=" + simulator.baseUrl())) {
            WebTestClient other = WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port")).build();
            // Minted on the instance with the real clock: this context's clock is virtual (weeks behind), and both
            // accept a token that is valid by the real one.
            String token = TestTokens.customer(other, found.customer());
            // The other instance holds the order in its near cache (30 s fresh)...
            other.get().uri(order).headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo(found.order().status().name().toLowerCase());

            post(token, order + "/cancellation", UUID.randomUUID().toString(), Map.of()).expectStatus().isOk();

            // ... and reads the cancellation at once: the write evicted it everywhere before it answered (the
            // eviction reaches the other instance by pub/sub: bounded here, far below the entry's 30 s).
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            String status;
            do {
                status = (String) other.get().uri(order).headers(h -> h.setBearerAuth(token)).exchange()
                        .expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody().get("status");
            } while (!"cancelled".equals(status) && System.nanoTime() < deadline);
            assertThat(status).isEqualTo("cancelled");
        }
    }
}
