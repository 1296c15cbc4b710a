package dev.surge.gateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.VirtualTime;
import dev.surge.gateway.queue.QueueProperties;

/**
 * The conversation over real HTTP against the embedded Redis: both sides in order with the escalation's events, a
 * reconnect with Last-Event-ID that loses nothing, who may read and write, the size and rate bounds, the hand-off of
 * what was said to the next agent after a transfer, and how Redis keeps it. A context of its own, closed after:
 * sharing the agent tests' context after other contexts had started, the agent's "joined" event was missing (root
 * cause not found yet; see the stop note on issue 24).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "surge.conversation.test-context=own")
@org.springframework.test.annotation.DirtiesContext
@AutoConfigureWebTestClient
@Import(VirtualTime.class)
class ConversationIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT =
            new ParameterizedTypeReference<>() {
            };
    private static final ParameterizedTypeReference<Map<String, List<Map<String, Object>>>> LIST =
            new ParameterizedTypeReference<>() {
            };

    @Autowired
    WebTestClient client;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    QueueProperties queue;

    EscalationClient escalations;

    @BeforeEach
    void emptyQueues() {
        escalations = new EscalationClient(client, redis);
        escalations.clear();
    }

    /** A customer's escalation accepted by the agent; returns {customer token, agent token, id}. */
    private String[] accepted(String customerId, String agentId, String agentName) {
        String customer = TestTokens.customer(client, customerId);
        String id = escalations.create(customer, EscalationClient.web("other"));
        String agent = TestTokens.mint(client, Map.of("agentId", agentId, "skills", List.of("general"),
                "name", agentName));
        assertThat(escalations.claim(agent)).containsEntry("id", id);
        escalations.step(agent, id, "accept", Map.of()).expectStatus().isOk();
        return new String[] {customer, agent, id};
    }

    private WebTestClient.ResponseSpec send(String token, String base, String id, Object body) {
        return client.post().uri(base + "/{id}/messages", id).headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec say(String customerToken, String id, String text) {
        return send(customerToken, "/api/v1/escalations", id, Map.of("text", text));
    }

    private WebTestClient.ResponseSpec answer(String agentToken, String id, String text) {
        return send(agentToken, "/api/v1/agent/escalations", id, Map.of("text", text));
    }

    private Flux<ServerSentEvent<Map<String, Object>>> follow(String token, String base, String id,
                                                              String lastEventId) {
        return client.get().uri(base + "/{id}/messages/events", id)
                .headers(h -> {
                    h.setBearerAuth(token);
                    if (lastEventId != null) {
                        h.set("Last-Event-ID", lastEventId);
                    }
                })
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(EVENT).getResponseBody()
                .filter(event -> event.data() != null);
    }

    private List<Map<String, Object>> read(String token, String base, String id) {
        return client.get().uri(base + "/{id}/messages", id).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(LIST).returnResult().getResponseBody().get("messages");
    }

    @Test
    void bothSidesFollowInOrderWithTheEscalationsEventsAndAReconnectFromLastEventIdLosesNothing() {
        String[] parties = accepted("c8801", "a-chat", "Robin");
        String customer = parties[0];
        String agent = parties[1];
        String id = parties[2];
        String markup = "<script>alert('x')</script> & <b>bold</b>";
        List<String> seen = new ArrayList<>();

        StepVerifier.create(follow(customer, "/api/v1/escalations", id, null))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("system");
                    assertThat(event.data()).containsEntry("from", "system").containsEntry("event", "joined")
                            .containsEntry("name", "Robin");
                    seen.add(event.id());
                })
                .then(() -> say(customer, id, markup).expectStatus().isCreated()
                        .expectBody().jsonPath("$.text").isEqualTo(markup))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("message");
                    assertThat(event.data()).containsEntry("from", "customer").containsEntry("text", markup);
                    seen.add(event.id());
                })
                .then(() -> answer(agent, id, "Let me look.").expectStatus().isCreated())
                .assertNext(event -> {
                    assertThat(event.data()).containsEntry("from", "agent").containsEntry("name", "Robin")
                            .containsEntry("text", "Let me look.");
                    seen.add(event.id());
                })
                .thenCancel()
                .verify(WAIT);

        // Disconnected: the agent goes on, then the customer comes back with the last id they saw.
        answer(agent, id, "Found it.").expectStatus().isCreated();
        answer(agent, id, "Return made.").expectStatus().isCreated();
        StepVerifier.create(follow(customer, "/api/v1/escalations", id, seen.get(2)).map(ServerSentEvent::data))
                .assertNext(entry -> assertThat(entry).containsEntry("text", "Found it."))
                .assertNext(entry -> assertThat(entry).containsEntry("text", "Return made."))
                .then(() -> escalations.step(agent, id, "resolve", Map.of("disposition", "return-made"))
                        .expectStatus().isOk())
                .assertNext(entry -> assertThat(entry).containsEntry("from", "system")
                        .containsEntry("event", "resolved"))
                .expectComplete()
                .verify(WAIT);

        // The agent reads the same story, once each, in the same order; ids grow.
        List<Map<String, Object>> story = read(customer, "/api/v1/escalations", id);
        assertThat(story).extracting(e -> e.get("event") != null ? e.get("event") : e.get("text"))
                .containsExactly("joined", markup, "Let me look.", "Found it.", "Return made.", "resolved");
        assertThat(story).extracting(e -> e.get("id")).containsSequence(seen.get(0), seen.get(1), seen.get(2));
        // Over: nobody writes any more.
        say(customer, id, "thanks").expectStatus().isEqualTo(409);
    }

    @Test
    void theAgentFollowsTooAndTheirStreamEndsWhenTheEscalationIsResolved() {
        String[] parties = accepted("c8802", "a-follow", "Sam");
        String id = parties[2];
        StepVerifier.create(follow(parties[1], "/api/v1/agent/escalations", id, null).map(ServerSentEvent::data))
                .assertNext(entry -> assertThat(entry).containsEntry("event", "joined"))
                .then(() -> say(parties[0], id, "Hello?").expectStatus().isCreated())
                .assertNext(entry -> assertThat(entry).containsEntry("from", "customer")
                        .containsEntry("text", "Hello?"))
                .then(() -> escalations.step(parties[1], id, "resolve", Map.of("disposition", "answered"))
                        .expectStatus().isOk())
                .assertNext(entry -> assertThat(entry).containsEntry("event", "resolved"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void anotherCustomerGets404AndAnAgentNotHoldingIt403() {
        String[] parties = accepted("c8803", "a-holder", "Kim");
        String id = parties[2];
        String stranger = TestTokens.customer(client, "c8804");
        String otherAgent = TestTokens.agent(client, "a-other", List.of("general"));
        String base = "/api/v1/escalations/" + id + "/messages";
        String agentBase = "/api/v1/agent/escalations/" + id + "/messages";

        for (String path : List.of(base, base + "/events")) {
            client.get().uri(path).headers(h -> h.setBearerAuth(stranger)).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        say(stranger, id, "hi").expectStatus().isNotFound();
        for (String path : List.of(agentBase, agentBase + "/events")) {
            client.get().uri(path).headers(h -> h.setBearerAuth(otherAgent)).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        answer(otherAgent, id, "hi").expectStatus().isForbidden();
        // Unknown escalations are 404 for both; an agent cannot use the customer's path, nor a customer the agent's.
        say(parties[0], "00000000-0000-0000-0000-000000000000", "hi").expectStatus().isNotFound();
        answer(parties[1], "00000000-0000-0000-0000-000000000000", "hi").expectStatus().isNotFound();
        say(parties[1], id, "hi").expectStatus().isForbidden();
        answer(parties[0], id, "hi").expectStatus().isForbidden();
        // None of it was stored.
        assertThat(read(parties[0], "/api/v1/escalations", id)).extracting(e -> e.get("from"))
                .containsOnly("system");
    }

    @Test
    void messagesAreBoundedInSizeAndRateAndTheResumePointIsChecked() {
        String[] parties = accepted("c8805", "a-bounds", "Lee");
        String id = parties[2];
        say(parties[0], id, "x".repeat(2001)).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        say(parties[0], id, "   ").expectStatus().isBadRequest();
        send(parties[0], "/api/v1/escalations", id, Map.of("text", 42)).expectStatus().isBadRequest();
        say(parties[0], id, "y".repeat(2000)).expectStatus().isCreated();
        for (int i = 1; i < ConversationProperties.DEFAULT_RATE_LIMIT; i++) {
            say(parties[0], id, "message " + i).expectStatus().isCreated();
        }
        say(parties[0], id, "one too many").expectStatus().isEqualTo(429)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/too-many-messages");
        // The limit is per sender: the agent still answers.
        answer(parties[1], id, "I am here.").expectStatus().isCreated();
        client.get().uri("/api/v1/escalations/{id}/messages/events", id)
                .headers(h -> {
                    h.setBearerAuth(parties[0]);
                    h.set("Last-Event-ID", "not-an-id");
                })
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void afterATransferTheNextAgentReadsWhatWasSaidAndTheFirstNoLongerCan() {
        String[] parties = accepted("c8806", "a-first", "Ana");
        String id = parties[2];
        say(parties[0], id, "My parcel is lost.").expectStatus().isCreated();
        answer(parties[1], id, "Passing you to billing.").expectStatus().isCreated();
        escalations.step(parties[1], id, "transfer", Map.of("skill", "billing", "note", "refund wanted"))
                .expectStatus().isOk();
        String next = TestTokens.mint(client, Map.of("agentId", "a-next", "skills", List.of("billing"),
                "name", "Bo"));
        assertThat(escalations.claim(next)).containsEntry("id", id);

        // Offered, not accepted yet: the next agent reads the story before taking it, but cannot write yet.
        List<Map<String, Object>> story = read(next, "/api/v1/agent/escalations", id);
        assertThat(story).extracting(e -> e.get("event") != null ? e.get("event") : e.get("text"))
                .containsExactly("joined", "My parcel is lost.", "Passing you to billing.", "transferred");
        answer(next, id, "Hello").expectStatus().isForbidden();
        escalations.step(next, id, "accept", Map.of()).expectStatus().isOk();
        answer(next, id, "Hello, Bo here.").expectStatus().isCreated();
        answer(parties[1], id, "still me").expectStatus().isForbidden();
        client.get().uri("/api/v1/agent/escalations/{id}/messages", id).headers(h -> h.setBearerAuth(parties[1]))
                .exchange().expectStatus().isForbidden();
        assertThat(read(parties[0], "/api/v1/escalations", id)).last()
                .satisfies(e -> assertThat(e).containsEntry("name", "Bo").containsEntry("text", "Hello, Bo here."));
    }

    @Test
    void theConversationSharesTheEscalationsSlotAndExpiresWithItsRetention() {
        String[] parties = accepted("c8807", "a-keys", "Jo");
        String id = parties[2];
        say(parties[0], id, "hello").expectStatus().isCreated();
        String key = "surge:{esc}:conv:" + id;
        Long ttl = redis.getExpire(key).map(Duration::toMillis).block(WAIT);
        assertThat(ttl).isPositive().isLessThanOrEqualTo(queue.retention().toMillis());
        assertThat(redis.opsForStream().size(key).block(WAIT)).isEqualTo(2); // joined + hello
    }
}
