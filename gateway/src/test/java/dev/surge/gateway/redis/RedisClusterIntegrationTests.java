package dev.surge.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import redis.embedded.Redis;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.SimulatorControl;
import dev.surge.gateway.SurgeApplication;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.agent.ReservationReaper;
import dev.surge.gateway.cache.CacheKey;
import dev.surge.gateway.cache.CachedResource;
import dev.surge.gateway.cache.ResponseCache;
import dev.surge.gateway.demo.BackOfficeSimulator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway on a real Redis Cluster (three masters on loopback, {@link RedisTestCluster}), as an operator runs it
 * with {@code spring.data.redis.cluster.nodes}: two instances over real HTTP, every Redis-backed feature through its
 * scripts and commands on the cluster (cache, rate limits, waiting room, escalation queue, idempotency keys,
 * journeys, notifications), and a master killed mid-test. One cluster and one pair of instances for the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "surge.admission.fixed-limit=10", "surge.admission.waiting-room.enabled=true",
        "surge.ratelimit.classes.read[0].name=quota", "surge.ratelimit.classes.read[0].limit=10",
        "surge.ratelimit.classes.read[0].period=1h", "surge.ratelimit.sync-fraction=0",
        "surge.escalation.journey.flush-interval=200ms", "surge.escalation.spool-replay-interval=500ms"})
@AutoConfigureWebTestClient
@DirtiesContext
class RedisClusterIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final RedisTestCluster CLUSTER = RedisTestCluster.start();
    private static ConfigurableApplicationContext second;

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.cluster.nodes", CLUSTER::nodes);
    }

    @AfterAll
    static void stopSecondAndCluster() {
        try {
            if (second != null) {
                second.close();
                second = null;
            }
        } finally {
            CLUSTER.stop();
        }
    }

    @Autowired
    WebTestClient client;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    MeterRegistry registry;

    @Autowired
    BackOfficeSimulator simulator;

    @LocalServerPort
    int port;

    /** The second instance: same cluster, same back office, same limits, its own near cache and spool. */
    private ConfigurableApplicationContext second() {
        if (second == null) {
            second = new SpringApplicationBuilder(SurgeApplication.class).run(
                    "--server.port=0",
                    "--spring.data.redis.cluster.nodes=" + CLUSTER.nodes(),
                    "--surge.backoffice.base-url=" + simulator.baseUrl(),
                    "--surge.admission.waiting-room.enabled=true",
                    "--surge.ratelimit.classes.read[0].name=quota",
                    "--surge.ratelimit.classes.read[0].limit=10",
                    "--surge.ratelimit.classes.read[0].period=1h",
                    "--surge.ratelimit.sync-fraction=0",
                    "--surge.escalation.journey.flush-interval=200ms");
        }
        return second;
    }

    private WebTestClient secondClient() {
        return WebTestClient.bindToServer().responseTimeout(Duration.ofSeconds(10))
                .baseUrl("http://127.0.0.1:" + second().getEnvironment().getProperty("local.server.port")).build();
    }

    private static double sum(MeterRegistry registry, String counter) {
        return registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    /**
     * Polls {@code condition} (which may block: it runs on a bounded-elastic thread) every 50 ms until it holds, for
     * at most {@code bound}; answers whether it held.
     */
    private static boolean eventually(Duration bound, Supplier<Boolean> condition) {
        Boolean held = Flux.interval(Duration.ZERO, Duration.ofMillis(50)).onBackpressureDrop()
                .concatMap(tick -> Mono.fromSupplier(condition).subscribeOn(Schedulers.boundedElastic()), 1)
                .filter(Boolean::booleanValue)
                .take(bound)
                .next()
                .defaultIfEmpty(false)
                .block(bound.plusSeconds(5));
        return Boolean.TRUE.equals(held);
    }

    /** Runs {@code call} and checks it answered within 3 s. */
    private static <T> T timed(Supplier<T> call) {
        long started = System.nanoTime();
        T answer = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        return answer;
    }

    private static EntityExchangeResult<byte[]> get(WebTestClient http, String token, String uri) {
        return http.get().uri(uri).headers(h -> h.setBearerAuth(token)).exchange().expectBody().returnResult();
    }

    @Test
    void cachedReadsAreSharedThroughTheClusterAndAnEvictionReachesTheOtherInstance(@Autowired ResponseCache cache) {
        WebTestClient other = secondClient();
        String token = TestTokens.customer(client, "c61001");
        byte[] list = get(client, token, "/api/v1/me/orders?limit=1").getResponseBody();
        String orderId = JSON.readTree(list).get("orders").get(0).get("id").asString();
        String order = "/api/v1/me/orders/" + orderId;
        double fallbacks = sum(registry, "surge.cache.redis.fallbacks")
                + sum(second().getBean(MeterRegistry.class), "surge.cache.redis.fallbacks");
        long calls = SimulatorControl.calls(client, "order");

        assertThat(get(client, token, order).getResponseHeaders().getFirst("Cache-Status"))
                .isEqualTo("surge; fwd=miss; stored");
        // The other instance never saw it: its near cache misses, the cluster has it.
        assertThat(get(other, token, order).getResponseHeaders().getFirst("Cache-Status")).isEqualTo("surge; hit");
        assertThat(SimulatorControl.calls(client, "order") - calls).isEqualTo(1);

        // Evicting every order of the customer (a SCAN over the cluster, then DEL) through the first instance drops
        // the entry in Redis and, through pub/sub on the cluster, in the second instance's near cache.
        cache.evictCustomer(CachedResource.ORDER, "c61001").block(WAIT);
        assertThat(redis.hasKey(CacheKey.personal(CachedResource.ORDER, "c61001", orderId).redisKey()).block(WAIT))
                .isFalse();
        assertThat(eventually(WAIT, () -> String.valueOf(get(other, token, order).getResponseHeaders()
                .getFirst("Cache-Status")).contains("miss"))).as("the other instance's near entry dropped").isTrue();
        assertThat(sum(registry, "surge.cache.redis.fallbacks")
                + sum(second().getBean(MeterRegistry.class), "surge.cache.redis.fallbacks")).isEqualTo(fallbacks);
    }

    /** The customer's quota count in the cluster: the sum of its current window counters (one per instance's view). */
    private long quotaCountInRedis(String customer) {
        List<String> keys = redis.scan(ScanOptions.scanOptions().match("surge:rl:*:" + customer + ":quota:*").build())
                .collectList().block(WAIT);
        long total = 0;
        for (String key : keys) {
            String value = redis.opsForValue().get(key).block(WAIT);
            total = Math.max(total, value == null ? 0 : Long.parseLong(value));
        }
        return total;
    }

    @Test
    void twoInstancesShareARateLimitThroughTheCluster() {
        WebTestClient other = secondClient();
        MeterRegistry otherRegistry = second().getBean(MeterRegistry.class);
        double fallbacks = sum(registry, "surge.ratelimit.redis.fallbacks")
                + sum(otherRegistry, "surge.ratelimit.redis.fallbacks");
        String token = TestTokens.customer(client, "c61101");
        int admitted = 0;
        for (int i = 0; i < 16; i++) {
            if (get(i % 2 == 0 ? client : other, token, "/api/v1/me").getStatus().value() == 200) {
                admitted++;
            }
            // With sync-fraction 0 every admitted request is due at the instance's next sync (every 100 ms): wait,
            // bounded, until the cluster counts all of them, so the next request is decided on the global count.
            int expected = admitted;
            assertThat(eventually(WAIT, () -> quotaCountInRedis("c61101") >= expected))
                    .as("the cluster counts the %d requests admitted", expected).isTrue();
        }
        // Each instance knows the other's count as of its own last sync: at most one request over the limit.
        assertThat(admitted).isBetween(10, 11);
        assertThat(sum(registry, "surge.ratelimit.redis.fallbacks") + sum(otherRegistry,
                "surge.ratelimit.redis.fallbacks")).as("sync calls that failed on the cluster").isEqualTo(fallbacks);
    }

    @Test
    void theWaitingRoomGivesAPlaceAndAdmitsItThroughTheCluster() {
        MeterRegistry otherRegistry = second().getBean(MeterRegistry.class);
        double fallbacks = sum(registry, "surge.waitingroom.redis.fallbacks")
                + sum(otherRegistry, "surge.waitingroom.redis.fallbacks");
        EscalationClient customers = new EscalationClient(client, redis);
        String[] standard = customers.customerOfTier("standard", 61200);
        // Six slow reads fill the standard share of the fixed limit (6 of 10) on this instance...
        SimulatorControl.faults(client, "{\"endpoints\":{\"accounts\":{\"latencyMs\":1500}}}");
        try {
            WebClient http = WebClient.create("http://127.0.0.1:" + port);
            List<Mono<Integer>> slow = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String token = TestTokens.customer(client, "c" + (61300 + i));
                slow.add(http.get().uri("/api/v1/me/account").headers(h -> h.setBearerAuth(token))
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())));
            }
            var inFlight = Flux.merge(slow).collectList().toFuture();
            assertThat(eventually(WAIT, () -> registry.get("surge.admission.inflight").gauge().value() >= 6))
                    .as("six reads in flight").isTrue();

            // ... so a standard customer is shed and gets a place: issue.lua ran on the master of {wr}.
            EntityExchangeResult<byte[]> shed = get(client, standard[1], "/api/v1/me");
            assertThat(shed.getStatus().value()).isEqualTo(503);
            JsonNode problem = JSON.readTree(shed.getResponseBody());
            assertThat(problem.get("type").asString()).isEqualTo("https://surge.dev/problems/waiting-room");
            String ticket = problem.get("ticket").asString();
            assertThat(problem.get("position").asInt()).isPositive();

            // Every instance's tick.lua moves the pointer as room frees; the ticket is admitted, bounded.
            assertThat(eventually(Duration.ofSeconds(15), () -> {
                EntityExchangeResult<byte[]> poll = get(client, standard[1], "/api/v1/waiting-room/" + ticket);
                // Polls have a rate limit of their own (10 a second): a 429 is "not yet", like a place not admitted.
                return poll.getStatus().value() == 200
                        && JSON.readTree(poll.getResponseBody()).path("admitted").asBoolean();
            })).as("the place is admitted").isTrue();
            assertThat(inFlight.join()).containsOnly(200);
        } finally {
            SimulatorControl.heal(client);
        }
        assertThat(sum(registry, "surge.waitingroom.redis.fallbacks")
                + sum(otherRegistry, "surge.waitingroom.redis.fallbacks")).isEqualTo(fallbacks);
    }

    @Test
    @SuppressWarnings("unchecked")
    void escalationsGoThroughTheQueueScriptsOnTheClusterWithJourneyIdempotencyAndNotifications(
            @Autowired ReservationReaper reaper) {
        EscalationClient escalations = new EscalationClient(client, redis);
        WebTestClient other = secondClient();
        String customer = "c61401";
        String token = TestTokens.customer(client, customer);
        // The journey is recorded by the other instance and reaches the hand-off only through the cluster.
        byte[] list = get(other, token, "/api/v1/me/orders?limit=1").getResponseBody();
        String orderId = JSON.readTree(list).get("orders").get(0).get("id").asString();
        assertThat(get(other, token, "/api/v1/me/orders/" + orderId).getStatus().value()).isEqualTo(200);
        // Both steps written (the flush may have taken the first before the second was made).
        assertThat(eventually(WAIT, () -> redis.scan(ScanOptions.scanOptions()
                .match("surge:journey:*:" + customer).build())
                .flatMap(journeyKey -> redis.opsForList().size(journeyKey)).reduce(0L, Long::sum)
                .block(WAIT) >= 2))
                .as("the other instance wrote the journey").isTrue();

        String key = UUID.randomUUID().toString();
        Map<String, Object> body = EscalationClient.web("billing");
        body.put("orderId", orderId);
        Map<String, Object> created = escalations.post(token, key, body).expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) created.get("id");
        assertThat(created).containsEntry("position", 1);
        // A retry through the other instance: the same 202, no second escalation.
        new EscalationClient(other, redis).post(token, key, body).expectStatus().isAccepted()
                .expectBody().jsonPath("$.id").isEqualTo(id).jsonPath("$.position").isEqualTo(1);
        // A second escalation matches the repeat rule: its event reaches the stream.
        String repeat = escalations.create(token, EscalationClient.web("billing"));
        assertThat(eventually(WAIT, () -> redis.opsForStream().range("surge:notifications", Range.unbounded())
                .any(entry -> String.valueOf(entry.getValue().get("event")).contains(repeat)).block(WAIT)))
                .as("the repeat escalation's notification").isTrue();

        String agent = TestTokens.agent(client, "a-cluster", List.of("billing"));
        // The customer follows it on the other instance: every change is PUBLISHed by a script on the {esc} master
        // and reaches that instance's subscription, whichever node it is connected to.
        Flux<Map<String, Object>> events = other.get().uri("/api/v1/escalations/{id}/events", id)
                .headers(h -> h.setBearerAuth(token)).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
                })
                .getResponseBody()
                .filter(event -> event.data() != null).map(ServerSentEvent::data);
        StepVerifier.create(events)
                .assertNext(view -> assertThat(view).containsEntry("status", "queued").containsEntry("position", 1))
                .then(() -> {
                    Map<String, Object> offered = escalations.claim(agent);
                    assertThat(offered).containsEntry("id", id).containsEntry("status", "offered");
                    JsonNode journey = JSON.valueToTree(offered.get("context")).get("journey");
                    assertThat(journey.valueStream().map(e -> e.get("path").asString()).toList())
                            .contains("/api/v1/me/orders/{orderId}", "/api/v1/me/orders");
                })
                .assertNext(view -> assertThat(view).containsEntry("status", "offered"))
                .then(() -> escalations.step(agent, id, "accept", Map.of()).expectStatus().isOk())
                .assertNext(view -> assertThat(view).containsEntry("status", "assigned"))
                .thenCancel()
                .verify(Duration.ofSeconds(15));

        Map<String, Object> queues = client.get().uri("/api/v1/agent/queues").headers(h -> h.setBearerAuth(agent))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> billing = ((List<Map<String, Object>>) queues.get("queues")).stream()
                .filter(q -> "billing".equals(q.get("skill"))).findFirst().orElseThrow();
        assertThat(billing).containsEntry("depth", 1).containsEntry("held", 1).containsEntry("activeAgents", 1);
        assertThat(reaper.reap().block(WAIT)).as("the reaper's scripts ran").isNotNull();

        escalations.step(agent, id, "resolve", Map.of("disposition", "refund")).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("resolved");
        assertThat(escalations.get(token, id)).containsEntry("status", "resolved");
        assertThat(escalations.claim(agent)).containsEntry("id", repeat);
    }

    @Test
    void contactFiguresAreAddedAndReadBackAcrossTheClustersSlots() {
        WebTestClient other = secondClient();
        String token = TestTokens.customer(client, "c61777");
        String ops = TestTokens.mint(client, Map.of("opsId", "ops-cluster"));
        // Activity on one instance, the escalation on the other: the buckets, the session and the union of the
        // window's HyperLogLogs (one slot per bucket) are read back through copies under one tag.
        assertThat(get(other, token, "/api/v1/me").getStatus().value()).isEqualTo(200);
        new EscalationClient(client, redis).create(token, EscalationClient.web("other"));
        for (WebTestClient instance : List.of(client, other)) {
            assertThat(eventually(Duration.ofSeconds(10), () -> {
                JsonNode summary = JSON.readTree(get(instance, ops, "/api/v1/ops/summary?window=1h")
                        .getResponseBody());
                return summary.at("/escalations/byReason/other").asLong(0) >= 1
                        && summary.at("/selfService/activeCustomers").asLong(0) >= 1
                        && summary.at("/selfService/escalatedCustomers").asLong(0) >= 1;
            })).as("the escalation and the activity are counted, read through either instance").isTrue();
        }
        JsonNode first = JSON.readTree(get(client, ops, "/api/v1/ops/summary?window=24h").getResponseBody());
        JsonNode second = JSON.readTree(get(other, ops, "/api/v1/ops/summary?window=24h").getResponseBody());
        assertThat(first.get("selfService")).isEqualTo(second.get("selfService"));
        assertThat(first.get("escalations")).isEqualTo(second.get("escalations"));
        assertThat(first.at("/selfService/containment").isNumber()).isTrue();
    }

    @Test
    void aMasterKilledMidTestLeavesReadsAnsweredSpoolsEscalationsAndReplaysThemOnceItIsBack() {
        EscalationClient escalations = new EscalationClient(client, redis);
        Redis queueMaster = CLUSTER.masterOf("surge:{esc}:stats");
        int queuePort = CLUSTER.portOf("surge:{esc}:stats");
        String warm = "c61501";
        String warmToken = TestTokens.customer(client, warm);
        assertThat(get(client, warmToken, "/api/v1/me").getStatus().value()).isEqualTo(200);
        // A customer nothing has read yet, whose cache entries live on the master about to die.
        String cold = null;
        for (int n = 61510; cold == null; n++) {
            if (CLUSTER.portOf(CacheKey.personal(CachedResource.PROFILE, "c" + n, "-").redisKey()) == queuePort) {
                cold = "c" + n;
            }
        }
        String coldToken = TestTokens.customer(client, cold);
        String customer = "c61601";
        String token = TestTokens.customer(client, customer);
        String agent = TestTokens.agent(client, "a-outage", List.of("returns"));
        double spoolWrites = sum(registry, "surge.escalation.spool.writes");
        double spoolReplays = sum(registry, "surge.escalation.spool.replays");
        double cacheFallbacks = sum(registry, "surge.cache.redis.fallbacks");

        RedisTestCluster.kill(queueMaster);
        String id;
        try {
            // Nothing waits on the dead master: each answer comes within its own timeouts (the cache's 100 ms Redis
            // timeout, the queue's 300 ms), not after a hung connection; 3 s leaves room for a loaded machine.
            assertThat(timed(() -> get(client, warmToken, "/api/v1/me")).getResponseHeaders()
                    .getFirst("Cache-Status")).isEqualTo("surge; hit");
            EntityExchangeResult<byte[]> coldRead = timed(() -> get(client, coldToken, "/api/v1/me"));
            assertThat(coldRead.getStatus().value()).isEqualTo(200);
            assertThat(coldRead.getResponseHeaders().getFirst("Cache-Status")).contains("miss");
            assertThat(sum(registry, "surge.cache.redis.fallbacks")).isGreaterThan(cacheFallbacks);

            String key = UUID.randomUUID().toString();
            Map<String, Object> body = EscalationClient.web("return");
            @SuppressWarnings("unchecked")
            Map<String, Object> accepted = timed(() -> escalations.post(token, key, body).expectStatus().isAccepted()
                    .expectBody(Map.class).returnResult().getResponseBody());
            id = (String) accepted.get("id");
            assertThat(accepted).containsEntry("status", "queued").doesNotContainKey("position");
            escalations.post(token, key, body).expectStatus().isAccepted().expectBody().jsonPath("$.id").isEqualTo(id);
            assertThat(sum(registry, "surge.escalation.spool.writes") - spoolWrites).isEqualTo(1);

            timed(() -> client.post().uri("/api/v1/agent/escalations/claim").headers(h -> h.setBearerAuth(agent))
                    .exchange().expectStatus().isEqualTo(503).expectBody().returnResult());
        } finally {
            RedisTestCluster.startAgain(queueMaster);
        }

        // The master is back (empty: no persistence here); the scheduled replay puts the escalation in once. Polled
        // in Redis, not over HTTP: the customer's reads count against the class's quota of 10.
        String replayed = id;
        assertThat(eventually(Duration.ofSeconds(30), () -> redis.opsForZSet()
                .rank("surge:{esc}:waiting:returns", replayed).onErrorResume(e -> Mono.empty()).block(WAIT) != null))
                .as("replayed into the queue").isTrue();
        assertThat(escalations.get(token, id)).containsEntry("status", "queued").containsEntry("position", 1);
        assertThat(sum(registry, "surge.escalation.spool.replays") - spoolReplays).isEqualTo(1);
        assertThat(escalations.countFor(customer)).isEqualTo(1);
        assertThat(escalations.claim(agent)).containsEntry("id", id);
    }
}
