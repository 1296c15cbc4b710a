package dev.surge.gateway.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.MutableClock;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.VirtualTime;

/**
 * The agent side over real HTTP against the embedded Redis, in virtual time: priority with aging, reservations that
 * expire back to their place, reclaim from a vanished agent, only the holder may act, transfers, and the SSE streams.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(VirtualTime.class)
class AgentIntegrationTests {

    @Autowired
    WebTestClient client;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    MutableClock clock;

    @Autowired
    ReservationReaper reaper;

    @Autowired
    MeterRegistry registry;

    EscalationClient escalations;

    @BeforeEach
    void emptyQueues() {
        escalations = new EscalationClient(client, redis);
        escalations.clear();
    }

    private String agent(String id, String... skills) {
        return TestTokens.agent(client, id, List.of(skills));
    }

    private void reap() {
        reaper.reap().block(Duration.ofSeconds(5));
    }

    @Test
    void platinumGoesFirstButAStandardCustomerWhoWaitedLongerThanTheBoostIsNeverPassed() {
        String[] standardA = escalations.customerOfTier("standard", 100);
        String[] platinum = escalations.customerOfTier("platinum", 100);
        String[] gold = escalations.customerOfTier("gold", 100);
        String[] standardB = escalations.customerOfTier("standard", Integer.parseInt(standardA[0].substring(1)) + 1);

        // score = created - boost (platinum 300 s, gold 120 s); the lowest score is served first.
        String a = escalations.create(standardA[1], EscalationClient.web("order_problem")); // t=0, score 0
        clock.advance(Duration.ofSeconds(100));
        String p = escalations.create(platinum[1], EscalationClient.web("delivery"));       // t=100, score -200
        clock.advance(Duration.ofSeconds(250));
        String g = escalations.create(gold[1], EscalationClient.web("order_problem"));      // t=350, score 230
        String b = escalations.create(standardB[1], EscalationClient.web("order_problem")); // t=350, score 350

        assertThat(escalations.get(standardA[1], a)).containsEntry("position", 2);
        assertThat(escalations.get(gold[1], g)).containsEntry("position", 3);

        String agent = agent("a-prio", "orders");
        List<Object> served = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            served.add(escalations.claim(agent).get("id"));
        }
        assertThat(served).containsExactly(p, a, g, b);
        assertThat(escalations.claim(agent)).isNull(); // 204: nothing waits
    }

    @Test
    void anIdLeftInAQueueForAnEscalationNoLongerWaitingIsNeverOffered() {
        String customer = TestTokens.customer(client, "c8150");
        String abandoned = escalations.create(customer, EscalationClient.web("return"));
        String waiting = escalations.create(customer, EscalationClient.web("return"));
        client.delete().uri("/api/v1/escalations/{id}", abandoned).headers(h -> h.setBearerAuth(customer))
                .exchange().expectStatus().is2xxSuccessful();
        // A stray queue entry for it, at the very front (no code path leaves one; the claim must not trust that).
        redis.opsForZSet().add("surge:{esc}:waiting:returns", abandoned, -1e12).block(Duration.ofSeconds(5));

        String agent = agent("a-stray", "returns");
        assertThat(escalations.claim(agent)).containsEntry("id", waiting);
        assertThat(escalations.claim(agent)).isNull();
        assertThat(escalations.get(customer, abandoned)).containsEntry("status", "abandoned");
    }

    @Test
    void anExpiredReservationGoesBackToItsOriginalPlace() {
        String customer = TestTokens.customer(client, "c8101"); // one customer, one tier: only age decides
        String first = escalations.create(customer, EscalationClient.web("return"));
        clock.advance(Duration.ofSeconds(10));
        String second = escalations.create(customer, EscalationClient.web("return"));

        String slow = agent("a-slow", "returns");
        assertThat(escalations.claim(slow)).containsEntry("id", first);
        clock.advance(Duration.ofSeconds(31)); // past the 30 s reservation
        reap();

        escalations.step(slow, first, "accept", Map.of()).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // Ahead of the one that came after it, exactly as before the claim.
        String next = agent("a-next", "returns");
        assertThat(escalations.claim(next)).containsEntry("id", first);
        assertThat(escalations.claim(next)).containsEntry("id", second);
    }

    @Test
    void whatAVanishedAgentHoldsIsReclaimedAndOnlyTheHolderMayAct() {
        String customer = TestTokens.customer(client, "c8201");
        String id = escalations.create(customer, EscalationClient.web("billing"));
        String gone = agent("a-gone", "billing");
        String other = agent("a-other", "billing");
        assertThat(escalations.claim(gone)).containsEntry("id", id);
        escalations.step(other, id, "accept", Map.of()).expectStatus().isForbidden();
        escalations.step(gone, id, "accept", Map.of()).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("assigned");
        escalations.step(other, id, "resolve", Map.of("disposition", "refund")).expectStatus().isForbidden();

        // The agent's desktop dies: no request, no heartbeat. Within the presence timeout nothing happens ...
        clock.advance(Duration.ofSeconds(90));
        reap();
        assertThat(escalations.get(customer, id)).containsEntry("status", "assigned");
        // ... past it, the assignment is reclaimed and served again.
        clock.advance(Duration.ofSeconds(60));
        client.post().uri("/api/v1/agent/heartbeat").headers(h -> h.setBearerAuth(other)).exchange()
                .expectStatus().isNoContent();
        reap();
        assertThat(escalations.get(customer, id)).containsEntry("status", "queued").containsEntry("position", 1);
        assertThat(escalations.claim(other)).containsEntry("id", id);
        escalations.step(gone, id, "resolve", Map.of("disposition", "refund")).expectStatus().isForbidden();
    }

    @Test
    void declineKeepsThePlaceAndTransferMovesItToAnotherSkillWithANote() {
        String customer = TestTokens.customer(client, "c8301");
        String id = escalations.create(customer, EscalationClient.web("order_problem"));
        String orders = agent("a-orders", "orders");
        assertThat(escalations.claim(orders)).containsEntry("id", id);
        escalations.step(orders, id, "decline", Map.of()).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("queued");
        assertThat(escalations.claim(orders)).containsEntry("id", id);
        escalations.step(orders, id, "transfer", Map.of("skill", "billing", "note", "double charge"))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.skill").isEqualTo("billing").jsonPath("$.status").isEqualTo("queued");
        assertThat(escalations.claim(orders)).isNull();

        Map<String, Object> atBilling = escalations.claim(agent("a-billing", "billing"));
        assertThat(atBilling).containsEntry("id", id).containsEntry("transferNote", "double charge");
        escalations.step(orders, id, "transfer", Map.of("skill", "nowhere", "note", "x"))
                .expectStatus().isBadRequest();
    }

    @Test
    void theAgentSeesTheCustomersEarlierEscalationsWithinTheHistoryWindow() {
        String[] customer = escalations.customerOfTier("standard", 8400);
        String[] someoneElse = escalations.customerOfTier("standard", 8500);
        String first = escalations.create(customer[1], EscalationClient.web("billing"));
        String firstCreatedAt = (String) escalations.get(customer[1], first).get("createdAt");
        clock.advance(Duration.ofHours(1));
        String second = escalations.create(customer[1], EscalationClient.web("billing"));
        clock.advance(Duration.ofDays(8)); // past the 7-day history window (and the tokens' expiry)
        String third = escalations.create(TestTokens.customer(client, customer[0]), EscalationClient.web("billing"));
        String others = escalations.create(TestTokens.customer(client, someoneElse[0]),
                EscalationClient.web("billing"));

        Map<String, Object> earlierById = new java.util.HashMap<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Object> claimed = escalations.claim(agent("a-history-" + i, "billing"));
            earlierById.put((String) claimed.get("id"), claimed.get("earlierEscalations"));
        }
        assertThat(earlierById.get(first)).isEqualTo(List.of());
        assertThat(earlierById.get(second)).isEqualTo(List.of(Map.of("id", first, "createdAt", firstCreatedAt)));
        assertThat(earlierById.get(third)).isEqualTo(List.of());
        assertThat(earlierById.get(others)).isEqualTo(List.of());
    }

    @Test
    void queuesShowDepthOldestWaitAndActiveAgents() {
        escalations.create(TestTokens.customer(client, "c8401"), EscalationClient.web("billing"));
        clock.advance(Duration.ofSeconds(45));
        escalations.create(TestTokens.customer(client, "c8402"), EscalationClient.web("billing"));
        String agent = agent("a-queues", "billing", "general");
        client.get().uri("/api/v1/agent/queues").headers(h -> h.setBearerAuth(agent)).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.queues[?(@.skill=='billing')].depth").isEqualTo(2)
                .jsonPath("$.queues[?(@.skill=='billing')].oldestWaitingSeconds").isEqualTo(45)
                .jsonPath("$.queues[?(@.skill=='billing')].activeAgents").isEqualTo(1)
                .jsonPath("$.queues[?(@.skill=='orders')].depth").isEqualTo(0);
    }

    @Test
    void theCustomersStreamDeliversEveryStatusChange() {
        String customer = TestTokens.customer(client, "c8501");
        String id = escalations.create(customer, EscalationClient.web("return"));
        String agent = TestTokens.mint(client, Map.of("agentId", "a-sse", "skills", List.of("returns"),
                "name", "Robin"));

        Flux<ServerSentEvent<Map<String, Object>>> events = client.get().uri("/api/v1/escalations/{id}/events", id)
                .headers(h -> h.setBearerAuth(customer)).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
                })
                .getResponseBody();

        StepVerifier.create(events.filter(event -> event.data() != null).map(event -> event.data()))
                .assertNext(view -> assertThat(view).containsEntry("status", "queued").containsEntry("position", 1))
                .then(() -> assertThat(escalations.claim(agent)).containsEntry("id", id))
                .assertNext(view -> assertThat(view).containsEntry("status", "offered").doesNotContainKey("agentName"))
                .then(() -> escalations.step(agent, id, "accept", Map.of()).expectStatus().isOk())
                .assertNext(view -> assertThat(view).containsEntry("status", "assigned")
                        .containsEntry("agentName", "Robin"))
                .then(() -> escalations.step(agent, id, "resolve", Map.of("disposition", "return-label-sent"))
                        .expectStatus().isOk())
                .assertNext(view -> assertThat(view).containsEntry("status", "resolved"))
                .expectComplete()
                .verify(Duration.ofSeconds(15));
    }

    @Test
    void theQueueFeedShowsChangesForAgentDesktops() {
        String agent = agent("a-feed", "general");
        Flux<ServerSentEvent<Map<String, Object>>> feed = client.get().uri("/api/v1/agent/queues/events")
                .headers(h -> h.setBearerAuth(agent)).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
                })
                .getResponseBody();

        StepVerifier.create(feed.filter(event -> event.data() != null).map(event -> generalDepth(event.data())))
                .expectNext(0L)
                .then(() -> escalations.create(TestTokens.customer(client, "c8601"), EscalationClient.web("other")))
                .expectNext(1L)
                .thenCancel()
                .verify(Duration.ofSeconds(15));
    }

    @SuppressWarnings("unchecked")
    private static long generalDepth(Map<String, Object> snapshot) {
        return ((List<Map<String, Object>>) snapshot.get("queues")).stream()
                .filter(queue -> "general".equals(queue.get("skill")))
                .mapToLong(queue -> ((Number) queue.get("depth")).longValue())
                .findFirst().orElseThrow();
    }

    @Test
    void aCallbackCustomerKeepsTheirPlaceAndTheirCallbackWhenAnAgentDeclines() {
        String[] early = escalations.customerOfTier("standard", 9300);
        String[] later = escalations.customerOfTier("standard", Integer.parseInt(early[0].substring(1)) + 1);
        Instant now = clock.instant();
        Map<String, Object> callback = EscalationClient.web("order_problem");
        callback.put("contact", Map.of("method", "callback", "phone", "+4930123456",
                "windowStart", now.plus(Duration.ofHours(1)).toString(),
                "windowEnd", now.plus(Duration.ofHours(3)).toString()));
        String first = escalations.create(early[1], callback);
        clock.advance(Duration.ofSeconds(5));
        String second = escalations.create(later[1], EscalationClient.web("order_problem"));
        assertThat(escalations.get(early[1], first)).containsEntry("status", "callback_scheduled")
                .containsEntry("position", 1);
        assertThat(escalations.get(later[1], second)).containsEntry("position", 2);

        String agent = agent("a-callback", "orders");
        clock.advance(Duration.ofHours(1)); // the callback's window opens
        assertThat(escalations.claim(agent)).containsEntry("id", first);
        escalations.step(agent, first, "decline", Map.of()).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("callback_scheduled");
        assertThat(escalations.get(early[1], first)).containsEntry("status", "callback_scheduled")
                .containsEntry("position", 1);
        assertThat(escalations.claim(agent)).containsEntry("id", first);
    }

    @Test
    void aCallbackIsOfferedOnlyOnceItsWindowOpensAndKeepsItsPlaceUntilThen() {
        String[] early = escalations.customerOfTier("standard", 9400);
        String[] later = escalations.customerOfTier("standard", Integer.parseInt(early[0].substring(1)) + 1);
        Instant now = clock.instant();
        String first = escalations.create(early[1], callback(now.plus(Duration.ofHours(1)), Duration.ofHours(2)));
        clock.advance(Duration.ofSeconds(5));
        String second = escalations.create(later[1], EscalationClient.web("order_problem"));
        String agent = agent("a-window", "orders");

        assertThat(escalations.claim(agent)).as("the window is not open: the one behind it is offered")
                .containsEntry("id", second);
        assertThat(escalations.get(early[1], first)).containsEntry("status", "callback_scheduled")
                .containsEntry("position", 1);
        clock.advance(Duration.ofHours(1));
        assertThat(escalations.claim(agent("a-window-2", "orders"))).containsEntry("id", first);
    }

    @Test
    void theCustomerMovesTheirCallbackOrCancelsIt() {
        String customer = escalations.customerOfTier("standard", 9500)[1];
        Instant now = clock.instant();
        String id = escalations.create(customer, callback(now.plus(Duration.ofMinutes(10)), Duration.ofHours(1)));
        Map<String, Object> moved = Map.of("contact", Map.of("method", "callback", "phone", "+4930999999",
                "windowStart", now.plus(Duration.ofHours(5)).toString(),
                "windowEnd", now.plus(Duration.ofHours(6)).toString()));
        client.patch().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(customer))
                .bodyValue(moved).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("callback_scheduled")
                .jsonPath("$.contact.phone").isEqualTo("+4930999999")
                .jsonPath("$.contact.windowStart").isEqualTo(now.plus(Duration.ofHours(5)).toString());
        // Out of range, or no longer a callback: 400 naming the field; someone else's: 404.
        client.patch().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(customer))
                .bodyValue(Map.of("contact", Map.of("method", "callback", "phone", "+4930999999",
                        "windowStart", now.toString(), "windowEnd", now.plus(Duration.ofDays(8)).toString())))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("contact.windowEnd");
        client.patch().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(customer))
                .bodyValue(Map.of("contact", Map.of("method", "chat"))).exchange().expectStatus().isBadRequest();
        String other = escalations.customerOfTier("standard", 9600)[1];
        client.patch().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(other))
                .bodyValue(moved).exchange().expectStatus().isNotFound();

        clock.advance(Duration.ofMinutes(30)); // the old window would be open now, the new one is not
        String agent = agent("a-moved", "orders");
        assertThat(escalations.claim(agent)).as("only the moved callback waits, and its window is not open: 204")
                .isNull();

        client.delete().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(customer)).exchange()
                .expectStatus().isNoContent();
        client.patch().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(customer))
                .bodyValue(moved).exchange().expectStatus().isEqualTo(409);
    }

    private static Map<String, Object> callback(Instant windowStart, Duration length) {
        Map<String, Object> body = EscalationClient.web("order_problem");
        body.put("contact", Map.of("method", "callback", "phone", "+4930123456",
                "windowStart", windowStart.toString(), "windowEnd", windowStart.plus(length).toString()));
        return body;
    }

    @Test
    void anAgentMayClaimFromSomeOfTheirSkillsButNeverFromOthers() {
        String customer = TestTokens.customer(client, "c8801");
        String order = escalations.create(customer, EscalationClient.web("order_problem"));
        clock.advance(Duration.ofSeconds(5));
        String bill = escalations.create(customer, EscalationClient.web("billing"));
        String agent = agent("a-narrow", "orders", "billing");

        claim(agent, Map.of("skills", List.of("billing"))).expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(bill);
        claim(agent, Map.of("skills", List.of("returns"))).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        claim(agent, Map.of("skills", List.of("nowhere"))).expectStatus().isBadRequest();
        assertThat(escalations.claim(agent)).containsEntry("id", order); // no body: all the token's skills
    }

    private WebTestClient.ResponseSpec claim(String agentToken, Object body) {
        return client.post().uri("/api/v1/agent/escalations/claim").headers(h -> h.setBearerAuth(agentToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWaitACustomerWasToldIsMeasuredAgainstTheWaitTheyHad() {
        String customer = TestTokens.customer(client, "c8901");
        Map<String, Object> created = escalations.post(customer, UUID.randomUUID().toString(),
                        EscalationClient.web("return"))
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) created.get("id");
        long told = ((Number) created.get("estimatedWaitSeconds")).longValue();
        Timer actual = registry.get("surge.escalation.wait.actual").timer();
        DistributionSummary error = registry.get("surge.escalation.wait.prediction.error")
                .tag("actual", told > 40 ? "shorter" : "longer").summary();
        long waits = actual.count();
        double waited = actual.totalTime(TimeUnit.SECONDS);
        long errors = error.count();
        double erred = error.totalAmount();

        clock.advance(Duration.ofSeconds(40));
        String agent = agent("a-wait", "returns");
        assertThat(escalations.claim(agent)).containsEntry("id", id);
        escalations.step(agent, id, "accept", Map.of()).expectStatus().isOk();

        assertThat(actual.count()).isEqualTo(waits + 1);
        assertThat(actual.totalTime(TimeUnit.SECONDS) - waited).isEqualTo(40.0);
        assertThat(error.count()).isEqualTo(errors + 1);
        // the estimate came in whole seconds, the metric has it to the millisecond
        assertThat(error.totalAmount() - erred).isCloseTo(Math.abs(40 - told), within(1.0));
        // accepted once, measured once
        escalations.step(agent, id, "accept", Map.of());
        assertThat(actual.count()).isEqualTo(waits + 1);
    }

    @Test
    void resolvingNeedsAnAcceptedEscalationAndADisposition() {
        String customer = TestTokens.customer(client, "c8701");
        String id = escalations.create(customer, EscalationClient.web("other"));
        String agent = agent("a-resolve", "general");
        escalations.claim(agent);
        escalations.step(agent, id, "resolve", Map.of("disposition", "done")).expectStatus().isEqualTo(409);
        escalations.step(agent, id, "accept", Map.of()).expectStatus().isOk();
        escalations.step(agent, id, "resolve", Map.of()).expectStatus().isBadRequest();
        escalations.step(agent, id, "resolve", Map.of("disposition", "done", "notes", "explained the fee"))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("resolved").jsonPath("$.disposition").isEqualTo("done");
        client.delete().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(customer)).exchange()
                .expectStatus().isEqualTo(409);
    }
}
