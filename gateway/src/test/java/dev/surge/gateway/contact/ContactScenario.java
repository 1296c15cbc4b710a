package dev.surge.gateway.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.DemoOrders;
import dev.surge.gateway.MutableClock;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.backoffice.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The known scenario of docs/metrics.md, over real HTTP, on one instance or split over two (step by step, the
 * instance each step uses is fixed: with one instance every step uses it): 10 customers active, one returns an item
 * themselves, two are refused a return (409, order not delivered) and escalate, a third escalates about an order an
 * agent then cancels for them; one escalation is answered after 8 s, one after 15 s, one abandoned after 45 s; one
 * reader comes back 31 minutes later (a second session) and one reads past their rate limit. Then the exact figures.
 * The queue's default handle time is 9 s (property of the test classes), so the first answered was told 9 s and
 * waited 8 (within 20 %) and the second was told 9 s and waited 15 (not).
 */
final class ContactScenario {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<WebTestClient> instances;
    private final MutableClock clock;
    private final DemoOrders orders;
    private final BackOfficeClient backOffice;
    /** Customer → tier, as the profile says. */
    final Map<String, String> tiers = new LinkedHashMap<>();
    final List<String> escalated = new ArrayList<>();
    int web;
    int mobile;
    String reader = "";
    String opsToken = "";

    ContactScenario(List<WebTestClient> instances, MutableClock clock, BackOfficeClient backOffice,
                    AtomicInteger nextCustomer) {
        this.instances = instances;
        this.clock = clock;
        this.orders = new DemoOrders(backOffice, nextCustomer);
        this.backOffice = backOffice;
    }

    /** The instance of a step: with two, steps alternate as the scenario says; with one, always it. */
    WebTestClient on(int instance) {
        return instances.get(instance % instances.size());
    }

    private WebTestClient.ResponseSpec call(int instance, String method, String token, String uri,
                                            String channel, Object body) {
        if ("web".equals(channel)) {
            web++;
        } else if ("mobile".equals(channel)) {
            mobile++;
        }
        WebTestClient.RequestBodySpec request = on(instance).method(org.springframework.http.HttpMethod.valueOf(method))
                .uri(uri).headers(h -> {
                    h.setBearerAuth(token);
                    if (channel != null) {
                        h.set(dev.surge.gateway.identity.Caller.CHANNEL_HEADER, channel);
                    }
                    if (!"GET".equals(method) && !"DELETE".equals(method)) {
                        h.set("Idempotency-Key", UUID.randomUUID().toString());
                    }
                });
        return body == null ? request.exchange() : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }

    private String me(int instance, String customer) {
        String token = TestTokens.customer(on(0), customer);
        Map<?, ?> me = call(instance, "GET", token, "/api/v1/me", "web", null).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        tiers.put(customer, (String) me.get("tier"));
        return token;
    }

    @SuppressWarnings("unchecked")
    private String escalate(int instance, String token, String customer, String reason, String orderId) {
        Map<String, Object> created = call(instance, "POST", token, "/api/v1/escalations", "web",
                Map.of("reason", reason, "channel", "web", "orderId", orderId, "message", "Please help."))
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        escalated.add(customer);
        return (String) created.get("id");
    }

    @SuppressWarnings("unchecked")
    private String claimAndAccept(int claimOn, int acceptOn, String agent) {
        Map<String, Object> offered = on(claimOn).post().uri("/api/v1/agent/escalations/claim")
                .headers(h -> h.setBearerAuth(agent)).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) offered.get("id");
        on(acceptOn).post().uri("/api/v1/agent/escalations/{id}/accept", id).headers(h -> h.setBearerAuth(agent))
                .exchange().expectStatus().isOk();
        return id;
    }

    private void resolve(int instance, String agent, String id) {
        on(instance).post().uri("/api/v1/agent/escalations/{id}/resolve", id).headers(h -> h.setBearerAuth(agent))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("disposition", "done"))
                .exchange().expectStatus().isOk();
    }

    /**
     * Writes what the instances hold before the clock jumps past the session gap. The flush runs every second of real
     * time, so in service one batch never spans a 30-minute gap; in virtual time it would, unless flushed here, and
     * the reader's two sessions would be one batch's (and one session).
     */
    Runnable beforeGap = () -> { };

    void run() {
        DemoOrders.Found returner = orders.find(f -> f.actions().returns().allowed());
        DemoOrders.Found refusedY = orders.find(ContactScenario::notDelivered);
        DemoOrders.Found refusedZ = orders.find(ContactScenario::notDelivered);
        DemoOrders.Found canceller = orders.find(f -> f.actions().cancellation().allowed());
        List<String> readers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            readers.add(orders.nextCustomer());
        }
        reader = readers.get(0);

        // Ten customers active (instances 0 and 1 alternate when there are two).
        String w = me(0, returner.customer());
        String x = me(0, canceller.customer());
        String y = me(1, refusedY.customer());
        String z = me(0, refusedZ.customer());
        Map<String, String> readerTokens = new HashMap<>();
        for (int i = 0; i < readers.size(); i++) {
            readerTokens.put(readers.get(i), me(i < 3 ? 0 : 1, readers.get(i)));
        }

        // One return done by the customer; two refused (not delivered yet), each escalated right after.
        call(1, "POST", w, "/api/v1/me/orders/" + returner.order().id() + "/returns", "web",
                returnOf(returner.returnable().sku())).expectStatus().isCreated();
        call(0, "POST", y, "/api/v1/me/orders/" + refusedY.order().id() + "/returns", "web",
                returnOf(sku(refusedY))).expectStatus().isEqualTo(409);
        call(1, "POST", z, "/api/v1/me/orders/" + refusedZ.order().id() + "/returns", "web",
                returnOf(sku(refusedZ))).expectStatus().isEqualTo(409);
        call(0, "GET", x, "/api/v1/me/orders/" + canceller.order().id(), "web", null).expectStatus().isOk();
        // A reader past the read burst, from the mobile app.
        String burst = readerTokens.get(readers.get(5));
        boolean limited = false;
        for (int i = 0; i < 40 && !limited; i++) {
            limited = call(1, "GET", burst, "/api/v1/me/account", "mobile", null).returnResult(Void.class)
                    .getStatus().value() == 429;
        }
        assertThat(limited).as("the burst reached the read limit").isTrue();

        // Three escalations at t0; the failed return's step is on the instance that escalates it.
        String xEscalation = escalate(1, x, canceller.customer(), "order_problem", canceller.order().id());
        Map<String, String> owners = new HashMap<>();
        owners.put(escalate(0, y, refusedY.customer(), "return", refusedY.order().id()), y);
        owners.put(escalate(1, z, refusedZ.customer(), "return", refusedZ.order().id()), z);

        // t0 + 8 s: the orders agent answers; then cancels the order for the customer.
        String ordersAgent = TestTokens.agent(on(0), "a-orders", List.of("orders"));
        String returnsAgent = TestTokens.agent(on(0), "a-returns", List.of("returns"));
        clock.advance(Duration.ofSeconds(8));
        assertThat(claimAndAccept(0, 1, ordersAgent)).isEqualTo(xEscalation);
        on(0).post().uri("/api/v1/agent/escalations/{id}/cancellation", xEscalation).headers(h -> {
            h.setBearerAuth(ordersAgent);
            h.set("Idempotency-Key", UUID.randomUUID().toString());
        }).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("orderId", canceller.order().id()))
                .exchange().expectStatus().isOk();
        resolve(1, ordersAgent, xEscalation);
        // t0 + 15 s: the returns agent answers the first of the two returns; t0 + 45 s: the other customer leaves.
        clock.advance(Duration.ofSeconds(7));
        String answered = claimAndAccept(1, 1, returnsAgent);
        resolve(0, returnsAgent, answered);
        clock.advance(Duration.ofSeconds(30));
        String left = owners.keySet().stream().filter(id -> !id.equals(answered)).findFirst().orElseThrow();
        on(0).delete().uri("/api/v1/escalations/{id}", left).headers(h -> h.setBearerAuth(owners.get(left)))
                .exchange().expectStatus().isNoContent();

        // t0 + 31 min 45 s: a reader is back (a new session: more than 30 min since their last step), and the orders
        // agent is at the desk.
        beforeGap.run();
        clock.advance(Duration.ofMinutes(31));
        call(1, "GET", readerTokens.get(reader), "/api/v1/me", "web", null).expectStatus().isOk();
        on(0).post().uri("/api/v1/agent/heartbeat").headers(h -> h.setBearerAuth(ordersAgent)).exchange()
                .expectStatus().is2xxSuccessful();
        opsToken = TestTokens.mint(on(0), Map.of("opsId", "sam", "name", "Sam"));
    }

    private static boolean notDelivered(DemoOrders.Found f) {
        return !f.actions().returns().allowed() && f.actions().returns().reason() == Refusal.ORDER_NOT_DELIVERED;
    }

    private String sku(DemoOrders.Found f) {
        return backOffice.order(f.customer(), f.order().id()).block(WAIT).lines().get(0).sku();
    }

    private static Map<String, Object> returnOf(String sku) {
        return Map.of("lines", List.of(Map.of("sku", sku, "quantity", 1)), "reason", "damaged");
    }

    JsonNode summary(int instance, String window) {
        byte[] body = on(instance).get().uri("/api/v1/ops/summary?window=" + window)
                .headers(h -> h.setBearerAuth(opsToken)).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    // ---- expected figures ----

    private static final String NO_QUEUE = """
            {"answered":0,"abandoned":0,"averageSpeedOfAnswerSeconds":null,"abandonmentRate":null,
             "averageTimeToAbandonSeconds":null,"serviceLevel":null,"serviceLevelThresholdSeconds":20,
             "serviceLevelTarget":0.8,"waitAccuracy":null,"answeredWithinThreshold":0,"abandonedAfterThreshold":0}""";

    private static final String NO_ACTIONS = """
            {"action":"address-change","attempted":0,"applied":0,"appliedByCustomer":0,"containment":null,
             "doneWithoutPerson":null},
            {"action":"preferences","attempted":0,"applied":0,"appliedByCustomer":0,"containment":null,
             "doneWithoutPerson":null}""";

    /** Every figure of the 1 h window (the 24 h window must be the same: everything happened within the hour). */
    void assertHour(JsonNode s, List<MeterRegistry> registries) {
        assertThat(s.get("window").asString()).isEqualTo("1h");
        assertThat(s.get("from").asString()).isEqualTo("2026-11-23T07:32:00Z");
        assertThat(s.get("to").asString()).isEqualTo("2026-11-23T08:31:45Z");
        assertThat(s.get("selfService")).isEqualTo(JSON.readTree("""
                {"activeCustomers":10,"escalatedCustomers":3,"containment":0.7,
                 "sessions":{"active":11,"escalated":3,"containment":0.727},
                 "actions":[
                   {"action":"return","attempted":3,"applied":1,"appliedByCustomer":1,"containment":0.333,
                    "doneWithoutPerson":1.0},
                   {"action":"cancellation","attempted":0,"applied":1,"appliedByCustomer":0,"containment":null,
                    "doneWithoutPerson":0.0},
                """ + NO_ACTIONS + "]}"));
        Map<String, Long> byTier = new TreeMap<>(Map.of("standard", 0L, "gold", 0L, "platinum", 0L));
        escalated.forEach(customer -> byTier.merge(tiers.get(customer), 1L, Long::sum));
        Map<String, Long> activeByTier = new TreeMap<>();
        tiers.values().forEach(tier -> activeByTier.merge(tier, 1L, Long::sum));
        Map<String, Double> rateByTier = new TreeMap<>();
        byTier.forEach((tier, n) -> rateByTier.put(tier, activeByTier.containsKey(tier)
                ? Math.round(1000.0 * n / activeByTier.get(tier)) / 1000.0 : null));
        assertThat(s.get("escalations")).isEqualTo(JSON.readTree("""
                {"created":3,"byReason":{"order_problem":1,"return":2},"byChannel":{"web":3},
                 "byTier":%s,"rateByTier":%s,
                 "rateByReason":{"order_problem":0.1,"return":0.2},"rateByChannel":{"web":0.3},
                 "failedSteps":[{"step":"POST /api/v1/me/orders/{orderId}/returns 409","count":2,"share":0.667}]}
                """.formatted(JSON.writeValueAsString(byTier), JSON.writeValueAsString(rateByTier))));
        assertThat(s.get("queue")).isEqualTo(JSON.readTree("""
                {"overall":{"answered":2,"abandoned":1,"averageSpeedOfAnswerSeconds":11.5,"abandonmentRate":0.333,
                            "averageTimeToAbandonSeconds":45.0,"serviceLevel":0.667,"serviceLevelThresholdSeconds":20,
                            "serviceLevelTarget":0.8,"waitAccuracy":0.5,"answeredWithinThreshold":2,
                            "abandonedAfterThreshold":1},
                 "bySkill":{
                   "orders":{"answered":1,"abandoned":0,"averageSpeedOfAnswerSeconds":8.0,"abandonmentRate":0.0,
                             "averageTimeToAbandonSeconds":null,"serviceLevel":1.0,"serviceLevelThresholdSeconds":20,
                             "serviceLevelTarget":0.8,"waitAccuracy":1.0,"answeredWithinThreshold":1,
                             "abandonedAfterThreshold":0},
                   "returns":{"answered":1,"abandoned":1,"averageSpeedOfAnswerSeconds":15.0,"abandonmentRate":0.5,
                              "averageTimeToAbandonSeconds":45.0,"serviceLevel":0.5,"serviceLevelThresholdSeconds":20,
                              "serviceLevelTarget":0.8,"waitAccuracy":0.0,"answeredWithinThreshold":1,
                              "abandonedAfterThreshold":1},
                   "billing":%s,"general":%s}}
                """.formatted(NO_QUEUE, NO_QUEUE)));
        assertNow(s);
        assertProtection(s.get("protection"), registries);
    }

    /** The queues now: both answered escalations resolved, nothing waiting, the orders agent at the desk. */
    void assertNow(JsonNode s) {
        assertThat(s.get("now")).isEqualTo(JSON.readTree("""
                {"queues":[
                   {"skill":"orders","depth":0,"oldestWaitSeconds":null,"held":0,"agents":1},
                   {"skill":"returns","depth":0,"oldestWaitSeconds":null,"held":0,"agents":0},
                   {"skill":"billing","depth":0,"oldestWaitSeconds":null,"held":0,"agents":0},
                   {"skill":"general","depth":0,"oldestWaitSeconds":null,"held":0,"agents":0}],
                 "agentsPresent":1}"""));
    }

    /** The last 15 minutes hold the reader's second session only. */
    void assertQuarter(JsonNode s) {
        assertThat(s.get("window").asString()).isEqualTo("15m");
        assertThat(s.get("from").asString()).isEqualTo("2026-11-23T08:17:00Z");
        assertThat(s.get("selfService")).isEqualTo(JSON.readTree("""
                {"activeCustomers":1,"escalatedCustomers":0,"containment":1.0,
                 "sessions":{"active":1,"escalated":0,"containment":1.0},
                 "actions":[
                   {"action":"return","attempted":0,"applied":0,"appliedByCustomer":0,"containment":null,
                    "doneWithoutPerson":null},
                   {"action":"cancellation","attempted":0,"applied":0,"appliedByCustomer":0,"containment":null,
                    "doneWithoutPerson":null},
                """ + NO_ACTIONS + "]}"));
        JsonNode escalations = s.get("escalations");
        assertThat(escalations.get("created").asLong()).isZero();
        assertThat(escalations.get("failedSteps")).isEmpty();
        assertThat(escalations.get("rateByTier").get(tiers.get(reader)).asDouble()).isZero();
        assertThat(s.get("queue").get("overall")).isEqualTo(JSON.readTree(NO_QUEUE));
        assertNow(s);
    }

    /**
     * Protection figures are the sums of what every instance's own meters counted (in the 24 h window, which holds
     * all of them): requests by channel as the scenario sent them, rate-limited and shed requests, cache lookups.
     */
    void assertProtection(JsonNode p, List<MeterRegistry> registries) {
        assertThat(p.get("requestsByChannel").get("web").asLong()).isEqualTo(web);
        assertThat(p.get("requestsByChannel").get("mobile").asLong()).isEqualTo(mobile);
        assertThat(p.get("rateLimited")).isEqualTo(tree(counted(registries,
                ProtectionSampler.RATE_LIMITED, "outcome", "limited", "class")));
        assertThat(p.get("rateLimited").path("read").asLong()).isPositive();
        assertThat(p.get("shed")).isEqualTo(tree(counted(registries, ProtectionSampler.ADMISSION,
                "outcome", "shed", "priority")));
        long near = sum(registries, ProtectionSampler.CACHE_HITS, "tier", "near");
        long redis = sum(registries, ProtectionSampler.CACHE_HITS, "tier", "redis");
        long lookups = near + redis + sum(registries, ProtectionSampler.CACHE_MISSES, null, null);
        assertThat(lookups).isPositive();
        assertThat(p.get("cacheLookups").asLong()).isEqualTo(lookups);
        assertThat(p.get("cacheHitRatio").get("overall").asDouble())
                .isEqualTo(Math.round(1000.0 * (near + redis) / lookups) / 1000.0);
        assertThat(p.get("cacheHitRatio").get("near").asDouble()).isEqualTo(Math.round(1000.0 * near / lookups) / 1000.0);
        List<String> breakers = new ArrayList<>();
        for (MeterRegistry registry : registries) {
            for (Gauge gauge : registry.find(ProtectionSampler.BREAKER_STATE).gauges()) {
                String name = gauge.getId().getTag("name");
                if (!breakers.contains(name)) {
                    breakers.add(name);
                }
            }
        }
        assertThat(breakers).isNotEmpty();
        Map<String, Object> closed = new TreeMap<>();
        breakers.forEach(name -> closed.put(name, Map.of("now", "closed", "openShare", 0.0)));
        assertThat(p.get("breakers")).isEqualTo(tree(closed));
    }

    /** As the summary's JSON reads back (numbers as parsed, whatever their Java type). */
    private static JsonNode tree(Object value) {
        return JSON.readTree(JSON.writeValueAsString(value));
    }

    private static Map<String, Long> counted(List<MeterRegistry> registries, String name, String tag, String value,
                                             String by) {
        Map<String, Long> counts = new TreeMap<>();
        for (MeterRegistry registry : registries) {
            for (Counter counter : registry.find(name).tag(tag, value).counters()) {
                counts.merge(counter.getId().getTag(by), (long) counter.count(), Long::sum);
            }
        }
        counts.values().removeIf(n -> n == 0);
        return counts;
    }

    private static long sum(List<MeterRegistry> registries, String name, String tag, String value) {
        long sum = 0;
        for (MeterRegistry registry : registries) {
            var search = tag == null ? registry.find(name) : registry.find(name).tag(tag, value);
            for (Counter counter : search.counters()) {
                sum += (long) counter.count();
            }
        }
        return sum;
    }
}
