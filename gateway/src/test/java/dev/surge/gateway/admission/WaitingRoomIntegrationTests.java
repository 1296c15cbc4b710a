package dev.surge.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.MutableClock;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.VirtualTime;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The waiting room (turned on) over real HTTP with the real Redis, made exact: a fixed limit of 10 (standard reads
 * may fill 6, an admitted ticket 9) held by permits taken straight from the limiter, at most 30 places waiting, the
 * app's clock standing still unless a test moves it, and the pointer moved by calling the tick the schedule would
 * run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"surge.admission.fixed-limit=10", "surge.admission.waiting-room.enabled=true",
                "surge.admission.waiting-room.max-depth=30"})
@Import(VirtualTime.class)
@AutoConfigureWebTestClient
class WaitingRoomIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEMS = "https://surge.dev/problems/";

    @Autowired
    WebTestClient client;

    @Autowired
    PriorityLimiter limiter;

    @Autowired
    WaitingRoom room;

    @Autowired
    MutableClock clock;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    MeterRegistry registry;

    private final List<PriorityLimiter.Permit> held = new ArrayList<>();

    /** An empty queue in Redis and in this instance's view of it, and nothing in flight. */
    @BeforeEach
    void emptyRoom() {
        room.tickIfDue().block(Duration.ofSeconds(5)); // the start-up tick, or the one after a clock move, is done
        List<String> keys = redis.scan(ScanOptions.scanOptions().match(RedisWaitingRoomStore.KEY_PREFIX + "*").build())
                .collectList().block(Duration.ofSeconds(5));
        if (keys != null && !keys.isEmpty()) {
            redis.delete(keys.toArray(String[]::new)).block(Duration.ofSeconds(5));
        }
        clock.advance(Duration.ofMinutes(1)); // a new epoch for the new queue, fresh rate-limit windows
        room.tickIfDue().block(Duration.ofSeconds(5));
        assertThat(room.state().depth()).isZero();
    }

    @AfterEach
    void release() {
        held.forEach(PriorityLimiter.Permit::onIgnore);
        held.clear();
    }

    /** Holds permits until {@code count} requests are in flight. */
    private void holdInFlight(int count) {
        while (limiter.inflight() < count) {
            PriorityLimiter.Permit permit = limiter.tryAcquire(Priority.AGENT_AND_ESCALATION);
            assertThat(permit).isNotNull();
            held.add(permit);
        }
    }

    /** Releases held permits until only {@code count} requests are in flight. */
    private void releaseTo(int count) {
        while (limiter.inflight() > count && !held.isEmpty()) {
            held.remove(held.size() - 1).onIgnore();
        }
    }

    /**
     * One tick, once the requests the test made have let go of their permits (the server releases a permit just
     * after the client has the answer), so it sees exactly the permits the test holds.
     */
    private void tick() {
        Mono.fromSupplier(limiter::inflight).filter(n -> n == held.size())
                .repeatWhenEmpty(500, ticks -> ticks.delayElements(Duration.ofMillis(10)))
                .block(Duration.ofSeconds(5));
        room.tick().block(Duration.ofSeconds(5));
    }

    private EntityExchangeResult<byte[]> me(String token, String ticket) {
        return client.get().uri("/api/v1/me").headers(h -> {
            if (token != null) {
                h.setBearerAuth(token);
            }
            if (ticket != null) {
                h.set(WaitingRoom.TICKET_HEADER, ticket);
            }
        }).exchange().expectBody().returnResult();
    }

    private static JsonNode body(EntityExchangeResult<byte[]> result) {
        return JSON.readTree(result.getResponseBody());
    }

    /** The ticket a shed request got, after checking the whole 503 answer. */
    /** Each customer asks once and is shed: their tickets, in the order they were given. */
    private List<String> shedOnce(List<String> customers) {
        List<String> tickets = new ArrayList<>();
        for (String customer : customers) {
            tickets.add(ticketOf(me(customer, null)));
        }
        return tickets;
    }

    private static String ticketOf(EntityExchangeResult<byte[]> shed) {
        assertThat(shed.getStatus().value()).isEqualTo(503);
        assertThat(shed.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(shed);
        assertThat(problem.get("type").asString()).isEqualTo(PROBLEMS + "waiting-room");
        String ticket = problem.get("ticket").asString();
        assertThat(ticket).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(shed.getResponseHeaders().getFirst(WaitingRoom.TICKET_HEADER)).isEqualTo(ticket);
        // A new queue, nothing admitted yet: a second per place ahead, up to max-refresh-interval (10 s).
        assertThat(problem.get("refreshSeconds").asLong()).isEqualTo(Math.min(10, problem.get("position").asLong()));
        assertThat(shed.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                .isEqualTo(problem.get("refreshSeconds").asString());
        assertThat(problem.get("estimatedWaitSeconds").asLong()).isPositive();
        return ticket;
    }

    private WebTestClient.ResponseSpec status(String token, String ticket) {
        return client.get().uri("/api/v1/waiting-room/{ticket}", ticket).headers(h -> h.setBearerAuth(token))
                .exchange();
    }

    private JsonNode statusOk(String token, String ticket) {
        return JSON.readTree(status(token, ticket).expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody());
    }

    private static void assertProblem(WebTestClient.ResponseSpec response, int status) {
        JsonNode problem = JSON.readTree(response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.toString()).doesNotContain("Exception", "dev.surge");
    }

    @Test
    void aShedCustomerGetsASignedPlaceWhileAnonymousAndAgentCallersGetThePlain503() {
        holdInFlight(10);
        String customer = TierTokens.ofTier(client, "standard", 1, 7100).get(0);
        EntityExchangeResult<byte[]> shed = me(customer, null);
        String ticket = ticketOf(shed);
        assertThat(body(shed).get("position").asLong()).isEqualTo(1);
        assertThat(body(shed).get("instance").asString()).isEqualTo("/api/v1/me");

        // Back without the ticket: the same place, not a second one.
        assertThat(ticketOf(me(customer, null))).isEqualTo(ticket);
        assertThat(room.state().depth()).isEqualTo(1);

        EntityExchangeResult<byte[]> anonymous = client.get().uri("/api/v1/inventory/SKU-00001").exchange()
                .expectBody().returnResult();
        assertThat(anonymous.getStatus().value()).isEqualTo(503);
        assertThat(body(anonymous).get("type").asString()).isEqualTo(PROBLEMS + "overloaded");
        assertThat(anonymous.getResponseHeaders().getFirst(WaitingRoom.TICKET_HEADER)).isNull();
        String agent = TestTokens.agent(client, "a-waiting", List.of("orders"));
        EntityExchangeResult<byte[]> agentShed = client.get().uri("/api/v1/agent/queues")
                .headers(h -> h.setBearerAuth(agent)).exchange().expectBody().returnResult();
        assertThat(agentShed.getStatus().value()).isEqualTo(503);
        assertThat(body(agentShed).get("type").asString()).isEqualTo(PROBLEMS + "overloaded");
    }

    @Test
    void placesAreAdmittedInOrderAsCapacityFreesAndNewcomersQueueBehind() {
        holdInFlight(10);
        List<String> customers = TierTokens.ofTier(client, "standard", 5, 7200);
        List<String> tickets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EntityExchangeResult<byte[]> shed = me(customers.get(i), null);
            tickets.add(ticketOf(shed));
            assertThat(body(shed).get("position").asLong()).isEqualTo(i + 1);
        }

        // Room for one standard read (5 in flight, their share is 6): the limiter would let a newcomer in, but four
        // customers wait, so the newcomer queues behind them.
        releaseTo(5);
        EntityExchangeResult<byte[]> newcomer = me(customers.get(4), null);
        tickets.add(ticketOf(newcomer));
        assertThat(body(newcomer).get("position").asLong()).isEqualTo(5);
        // A gold customer is not held up by standard customers waiting.
        String gold = TierTokens.ofTier(client, "gold", 1, 7200).get(0);
        assertThat(me(gold, null).getStatus().value()).isEqualTo(200);
        tick(); // judged by the peak since the last tick (10 in flight): no room yet, nobody admitted
        assertThat(room.state().admitted()).isZero();

        // Each tick admits what is free under the standard share (6 − 5 in flight = 1): one place per tick, in
        // order. Nobody comes back with tickets 2 to 5, and the line still moves.
        List<Integer> admittedOrder = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            tick();
            for (int i = 0; i < tickets.size(); i++) {
                JsonNode status = statusOk(customers.get(i), tickets.get(i));
                if (status.get("admitted").asBoolean()) {
                    if (!admittedOrder.contains(i)) {
                        admittedOrder.add(i);
                    }
                    assertThat(status.get("position").asLong()).isZero();
                    assertThat(status.get("refreshSeconds").asLong()).isZero();
                } else {
                    assertThat(status.get("position").asLong()).isEqualTo(i + 1 - admittedOrder.size());
                    // Half the estimated wait, 1 s to 10 s (under half the window); while no admission is
                    // measured yet the estimate is a guess, and it is a second per place ahead instead.
                    long refresh = status.get("refreshSeconds").asLong();
                    boolean measured = room.state().history().ratePerSecond(clock.millis(), 10_000) > 0;
                    long wanted = measured ? status.get("estimatedWaitSeconds").asLong() / 2
                            : status.get("position").asLong();
                    assertThat(refresh).isEqualTo(Math.max(1, Math.min(10, wanted)));
                }
            }
            assertThat(admittedOrder).as("after tick %d", round + 1).hasSize(round + 1);
            if (round == 0) {
                // The first admitted customer is let in with the ticket, while a newcomer would be shed.
                assertThat(me(customers.get(0), tickets.get(0)).getStatus().value()).isEqualTo(200);
                assertThat(me(customers.get(0), tickets.get(0)).getStatus().value()).as("any number of requests")
                        .isEqualTo(200);
                tick(); // the two requests raised the peak in flight: this tick sees no free room, admits nobody
                assertThat(room.state().admitted() - room.state().issued()).isEqualTo(-4);
            }
        }
        assertThat(admittedOrder).containsExactly(0, 1, 2, 3, 4);
        assertThat(room.state().depth()).isZero();
        assertThat(registry.find(WaitingRoomMetrics.WAIT).timer().count()).isPositive();
    }

    @Test
    void aFreeSlotThatTurnsOverFastLetsInAsManyAsItServes() {
        holdInFlight(10);
        List<String> customers = TierTokens.ofTier(client, "standard", 4, 7250);
        List<String> tickets = shedOnce(customers);
        releaseTo(4);
        tick(); // the peak of 10: nobody yet
        assertThat(room.state().admitted()).isZero();

        // One request through a free slot, done in microseconds: that slot serves dozens in an advance interval
        // (250 ms), so one tick lets all four in, where counting slots alone would have let in one (the standard
        // share of 6 less the peak of 5 in flight).
        PriorityLimiter.Permit quick = limiter.tryAcquire(Priority.STANDARD_READ);
        assertThat(quick).isNotNull();
        quick.onSuccess();
        tick();
        assertThat(room.state().admitted()).isEqualTo(room.state().issued());
        for (int i = 0; i < customers.size(); i++) {
            assertThat(statusOk(customers.get(i), tickets.get(i)).get("admitted").asBoolean()).isTrue();
        }
    }

    @Test
    void customersFurtherBackAreAskedToComeBackLaterButNeverAfterHalfTheAdmissionWindow() {
        holdInFlight(10);
        List<String> customers = TierTokens.ofTier(client, "standard", 30, 7350);
        List<String> tickets = shedOnce(customers);
        releaseTo(5);
        tick(); // the peak of 10: nobody yet
        tick(); // one free slot, nothing measured about how fast it turns over: one place
        clock.advance(Duration.ofSeconds(1));
        room.tickIfDue().block(Duration.ofSeconds(5)); // and one more: two a second
        int admitted = (int) room.state().admitted();
        assertThat(admitted).isEqualTo(2);

        JsonNode next = statusOk(customers.get(admitted), tickets.get(admitted));
        JsonNode last = statusOk(customers.get(29), tickets.get(29));
        assertThat(next.get("position").asLong()).isEqualTo(1);
        assertThat(next.get("refreshSeconds").asLong()).as("near the front: the shortest").isEqualTo(1);
        assertThat(last.get("position").asLong()).isEqualTo(30 - admitted);
        assertThat(last.get("estimatedWaitSeconds").asLong()).isGreaterThanOrEqualTo(20);
        assertThat(last.get("refreshSeconds").asLong()).as("half the wait, at most max-refresh-interval (10 s)")
                .isEqualTo(10);
        // The shed answer says the same, in the body and in Retry-After.
        EntityExchangeResult<byte[]> again = me(customers.get(29), null);
        assertThat(body(again).get("refreshSeconds").asLong()).isEqualTo(10);
        assertThat(again.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("10");
    }

    @Test
    void aFullQueueGivesNoMorePlacesOnlyThePlain503() {
        holdInFlight(10);
        List<String> customers = TierTokens.ofTier(client, "standard", 31, 7380);
        for (String customer : customers.subList(0, 30)) {
            ticketOf(me(customer, null));
        }
        assertThat(room.state().depth()).isEqualTo(30);
        double refusedBefore = registry.find(WaitingRoomMetrics.TICKETS).tag("outcome", "refused").counter().count();

        EntityExchangeResult<byte[]> refused = me(customers.get(30), null);
        assertThat(refused.getStatus().value()).isEqualTo(503);
        assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(body(refused).get("type").asString()).isEqualTo(PROBLEMS + "overloaded");
        assertThat(refused.getResponseHeaders().getFirst(WaitingRoom.TICKET_HEADER)).isNull();
        assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        assertThat(room.state().depth()).as("no place taken").isEqualTo(30);
        assertThat(registry.find(WaitingRoomMetrics.TICKETS).tag("outcome", "refused").counter().count())
                .isEqualTo(refusedBefore + 1);

        // With the queue full, a new arrival is not asked to join it: room under the limiter lets it in.
        releaseTo(5);
        assertThat(me(customers.get(30), null).getStatus().value()).isEqualTo(200);
    }

    @Test
    void anAdmittedTicketGetsInAheadOfNewArrivalsForTheAdmissionWindowOnly() {
        holdInFlight(10);
        List<String> customers = TierTokens.ofTier(client, "standard", 2, 7300);
        String ticket = ticketOf(me(customers.get(0), null));
        releaseTo(5);
        tick();
        tick();
        assertThat(statusOk(customers.get(0), ticket).get("admitted").asBoolean()).isTrue();

        // 8 in flight: standard reads (share 6) are shed, but an admitted ticket may fill up to 9.
        holdInFlight(8);
        EntityExchangeResult<byte[]> newcomer = me(customers.get(1), null);
        assertThat(body(newcomer).get("type").asString()).isEqualTo(PROBLEMS + "waiting-room");
        assertThat(me(customers.get(0), ticket).getStatus().value()).isEqualTo(200);
        // Someone else's admitted ticket in the header gains nothing.
        EntityExchangeResult<byte[]> borrowed = me(customers.get(1), ticket);
        assertThat(borrowed.getStatus().value()).isEqualTo(503);
        assertThat(body(borrowed).get("ticket").asString()).isNotEqualTo(ticket);

        clock.advance(Duration.ofSeconds(29));
        room.tickIfDue().block(Duration.ofSeconds(5));
        assertThat(me(customers.get(0), ticket).getStatus().value()).isEqualTo(200);

        double expiredBefore = registry.find(WaitingRoomMetrics.TICKETS).tag("outcome", "expired").counter().count();
        clock.advance(Duration.ofSeconds(1)); // 30 s since admission: the window is over
        room.tickIfDue().block(Duration.ofSeconds(5));
        EntityExchangeResult<byte[]> late = me(customers.get(0), ticket);
        assertThat(late.getStatus().value()).isEqualTo(503);
        assertThat(body(late).get("type").asString()).isEqualTo(PROBLEMS + "waiting-room");
        assertProblem(status(customers.get(0), ticket), 404);
        assertThat(registry.find(WaitingRoomMetrics.TICKETS).tag("outcome", "expired").counter().count())
                .isEqualTo(expiredBefore + 1);
    }

    @Test
    void forgedGarbledAndForeignTicketsAreRefusedAsProblems() {
        holdInFlight(10);
        List<String> customers = TierTokens.ofTier(client, "standard", 2, 7400);
        String ticket = ticketOf(me(customers.get(0), null));

        assertProblem(status(customers.get(0), "not-a-ticket"), 400);
        assertProblem(status(customers.get(0), ticket.substring(0, ticket.length() - 3) + "AAA"), 400);
        String forged = new TicketSigner("an-attackers-guess-at-the-secret-0123456789")
                .sign(new Ticket(room.state().epoch(), 1, clock.millis(), clock.millis() + 60_000,
                        TierTokens.claims(customers.get(1)).get("sub").asString()));
        assertProblem(status(customers.get(1), forged), 400);

        // Another customer's ticket is not found, exactly like a missing one, on both endpoints.
        assertProblem(status(customers.get(1), ticket), 404);
        assertProblem(client.get().uri("/api/v1/waiting-room/{ticket}/events", ticket)
                .headers(h -> h.setBearerAuth(customers.get(1))).accept(MediaType.TEXT_EVENT_STREAM).exchange(), 404);
        // Without a customer token there is nothing to see.
        client.get().uri("/api/v1/waiting-room/{ticket}", ticket).exchange().expectStatus().isUnauthorized();

        // A forged ticket in the header of a request gets no one in.
        releaseTo(8);
        EntityExchangeResult<byte[]> withForged = me(customers.get(1), forged);
        assertThat(withForged.getStatus().value()).isEqualTo(503);
    }

    @Test
    void theEventStreamSaysEachChangeRepeatsItselfAndEndsOnAdmission() {
        holdInFlight(10);
        List<String> customers = TierTokens.ofTier(client, "standard", 3, 7500);
        List<String> tickets = shedOnce(customers);
        releaseTo(5);
        tick(); // the peak of 10 still counts: nobody admitted yet

        Flux<Map<String, Object>> events = client.get().uri("/api/v1/waiting-room/{ticket}/events", tickets.get(2))
                .headers(h -> h.setBearerAuth(customers.get(2))).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .getResponseBody()
                .map(ServerSentEvent::data);

        StepVerifier.create(events)
                .assertNext(e -> assertThat(e).containsEntry("position", 3).containsEntry("admitted", false)
                        .containsEntry("refreshSeconds", 3)) // for a poll: nothing admitted yet, 1 s per place
                // nothing changes: the same again within the refresh interval (1 s), so a quiet stream stays alive
                .assertNext(e -> assertThat(e).containsEntry("position", 3))
                .then(this::tick)
                .thenConsumeWhile(e -> e.get("position").equals(3))
                .assertNext(e -> assertThat(e).containsEntry("position", 2))
                .then(this::tick)
                .thenConsumeWhile(e -> e.get("position").equals(2))
                .assertNext(e -> assertThat(e).containsEntry("position", 1))
                .then(this::tick)
                .thenConsumeWhile(e -> e.get("position").equals(1))
                .assertNext(e -> assertThat(e).containsEntry("position", 0).containsEntry("admitted", true)
                        .containsEntry("estimatedWaitSeconds", 0).containsEntry("refreshSeconds", 0))
                .expectComplete()
                .verify(Duration.ofSeconds(15));
    }
}
