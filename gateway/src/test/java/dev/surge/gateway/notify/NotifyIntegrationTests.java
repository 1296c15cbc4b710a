package dev.surge.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.redis.EmbeddedRedis;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notification rules against a real webhook receiver on loopback that fails its first attempts: the event is
 * retried with backoff until delivered, signed; and escalations are accepted at once whatever the webhook does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class NotifyIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "webhook-test-secret-0123456789abcdef";
    /**
     * Per customer: how many of the next deliveries about them the receiver fails with 503 (-1: all). Keyed by
     * customer so that another test's late deliveries never use up this test's failures.
     */
    private static final Map<String, AtomicInteger> FAILURES_LEFT = new ConcurrentHashMap<>();
    private static final Pattern CUSTOMER = Pattern.compile("\"customerId\":\"([^\"]+)\"");
    private static final Queue<Received> RECEIVED = new ConcurrentLinkedQueue<>();
    private static final DisposableServer RECEIVER = HttpServer.create().host("127.0.0.1").port(0)
            .route(routes -> routes.post("/hooks/escalations", (request, response) -> request.receive().aggregate()
                    .asString(StandardCharsets.UTF_8)
                    .flatMap(body -> {
                        RECEIVED.add(new Received(request.requestHeaders().get(WebhookDeliverer.EVENT_ID),
                                request.requestHeaders().get(WebhookDeliverer.TIMESTAMP),
                                request.requestHeaders().get(WebhookDeliverer.SIGNATURE), body));
                        Matcher customer = CUSTOMER.matcher(body);
                        AtomicInteger failures = customer.find() ? FAILURES_LEFT.get(customer.group(1)) : null;
                        int left = failures == null ? 0 : failures.getAndUpdate(n -> n > 0 ? n - 1 : n);
                        return response.status(left != 0 ? 503 : 204).send().then();
                    })))
            .bindNow(Duration.ofSeconds(10));

    private record Received(String eventId, String timestamp, String signature, String body) {
    }

    @DynamicPropertySource
    static void webhook(DynamicPropertyRegistry registry) {
        registry.add("surge.notify.webhook.url", () -> "http://127.0.0.1:" + RECEIVER.port() + "/hooks/escalations");
        registry.add("surge.notify.webhook.secret", () -> SECRET);
        registry.add("surge.notify.webhook.min-backoff", () -> "20ms");
        registry.add("surge.notify.webhook.max-backoff", () -> "100ms");
        registry.add("surge.notify.webhook.max-attempts", () -> "4");
        registry.add("surge.notify.webhook.poll-interval", () -> "50ms");
        registry.add("surge.notify.webhook.redeliver-after", () -> "2s");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.disposeNow();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    MeterRegistry registry;

    @Autowired
    NotifyMetrics metrics;

    @Autowired
    EmbeddedRedis embeddedRedis;

    EscalationClient escalations;

    @BeforeEach
    void reset() {
        escalations = new EscalationClient(client, redis);
        RECEIVED.clear();
    }

    /** Waits (bounded) until the receiver saw a request whose event is about the escalation; returns all of them. */
    private List<Received> deliveriesOf(String escalationId, int atLeast) {
        return Flux.interval(Duration.ofMillis(50)).take(200)
                .map(tick -> RECEIVED.stream().filter(r -> r.body().contains(escalationId)).toList())
                .filter(list -> list.size() >= atLeast)
                .blockFirst(Duration.ofSeconds(15));
    }

    @Test
    void aPlatinumEscalationIsDeliveredSignedAfterTheWebhookFailedTwice() throws Exception {
        String[] platinum = escalations.customerOfTier("platinum", 300);
        FAILURES_LEFT.put(platinum[0], new AtomicInteger(2));
        String id = escalations.create(platinum[1], EscalationClient.web("billing"));

        List<Received> attempts = deliveriesOf(id, 3);
        assertThat(attempts).hasSize(3);
        assertThat(attempts).extracting(Received::eventId).containsOnly(attempts.get(0).eventId());
        Received delivered = attempts.get(2);
        JsonNode event = JSON.readTree(delivered.body());
        assertThat(event.get("rule").asString()).isEqualTo("platinum-escalation");
        assertThat(event.get("escalationId").asString()).isEqualTo(id);
        assertThat(event.get("tier").asString()).isEqualTo("platinum");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(
                mac.doFinal((delivered.timestamp() + "." + delivered.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(delivered.signature()).isEqualTo("sha256=" + expected);

        // Acknowledged once delivered: no longer pending for the webhook group.
        Boolean acknowledged = Flux.interval(Duration.ofMillis(50)).onBackpressureDrop().take(100)
                .concatMap(tick -> redis.opsForStream().pending(NotificationStream.STREAM,
                        NotificationStream.WEBHOOK_GROUP, Range.unbounded(), 1000L))
                .map(pending -> pending.stream().noneMatch(p -> p.getIdAsString().equals(delivered.eventId())))
                .filter(Boolean::booleanValue)
                .blockFirst(Duration.ofSeconds(10));
        assertThat(acknowledged).isTrue();
    }

    @Test
    void aFailingWebhookNeverDelaysNorFailsTheEscalation() {
        String[] platinum = escalations.customerOfTier("platinum", 600);
        FAILURES_LEFT.put(platinum[0], new AtomicInteger(-1));
        long started = System.nanoTime();
        String id = escalations.create(platinum[1], EscalationClient.web("return"));
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms to accept").isLessThan(2_000);
        assertThat(escalations.get(platinum[1], id)).containsEntry("status", "queued");

        assertThat(deliveriesOf(id, 4)).hasSize(4); // every attempt made, then left for redelivery
        Double failed = Flux.interval(Duration.ofMillis(50)).take(100)
                .map(tick -> registry.counter(NotifyMetrics.WEBHOOK_DELIVERIES, "outcome", "failed").count())
                .filter(count -> count > 0)
                .blockFirst(Duration.ofSeconds(10));
        assertThat(failed).isPositive();
        assertThat(escalations.get(platinum[1], id)).containsEntry("status", "queued");
    }

    @Test
    // Redis comes back empty and Lettuce reconnected: the tests after this one get a context of their own.
    @DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
    void anEventOfAnEscalationTakenWhileRedisWasAwayIsWrittenAndDeliveredOnceRedisIsBack() {
        String[] platinum = escalations.customerOfTier("platinum", 700);
        double retriesBefore = registry.counter(NotifyMetrics.EVENT_WRITE_RETRIES).count();
        double failuresBefore = registry.counter(NotifyMetrics.EVENT_FAILURES).count();
        String id;
        embeddedRedis.stop();
        try {
            id = escalations.create(platinum[1], EscalationClient.web("delivery")); // spooled, still 202
            // the event could not be written, and waits to be tried again
            Double retries = Flux.interval(Duration.ofMillis(50)).take(100)
                    .map(tick -> registry.counter(NotifyMetrics.EVENT_WRITE_RETRIES).count())
                    .filter(count -> count > retriesBefore)
                    .blockFirst(Duration.ofSeconds(10));
            assertThat(retries).isGreaterThan(retriesBefore);
        } finally {
            embeddedRedis.start();
        }

        // Redis came back empty (the embedded one keeps no data): the event is written again, the webhook's group
        // is made anew from the start of the stream, and the event is delivered.
        // Bounded, and longer than deliveriesOf: Lettuce reconnects with a backoff of its own.
        List<Received> delivered = Flux.interval(Duration.ofMillis(100)).take(300)
                .map(tick -> RECEIVED.stream().filter(r -> r.body().contains(id)).toList())
                .filter(list -> !list.isEmpty())
                .blockFirst(Duration.ofSeconds(35));
        assertThat(delivered).isNotNull();
        JsonNode event = JSON.readTree(delivered.get(0).body());
        assertThat(event.get("rule").asString()).isEqualTo("platinum-escalation");
        assertThat(event.get("escalationId").asString()).isEqualTo(id);
        assertThat(registry.counter(NotifyMetrics.EVENT_FAILURES).count()).isEqualTo(failuresBefore);
    }

    @Test
    void anEventWhoseAttemptsRanOutIsTakenAgainAfterTheRedeliveryTimeAndDelivered() {
        String[] platinum = escalations.customerOfTier("platinum", 800);
        FAILURES_LEFT.put(platinum[0], new AtomicInteger(5)); // all 4 attempts of the first delivery, then one more
        String id = escalations.create(platinum[1], EscalationClient.web("billing"));

        // Bounded, past the 2 s redelivery time: the first delivery's 4 attempts, then the redelivery's 2.
        List<Received> attempts = Flux.interval(Duration.ofMillis(100)).take(150)
                .map(tick -> RECEIVED.stream().filter(r -> r.body().contains(id)).toList())
                .filter(list -> list.size() >= 6)
                .blockFirst(Duration.ofSeconds(20));
        assertThat(attempts).isNotNull().hasSize(6);
        assertThat(attempts).extracting(Received::eventId).containsOnly(attempts.get(0).eventId());
        Boolean acknowledged = Flux.interval(Duration.ofMillis(50)).onBackpressureDrop().take(100)
                .concatMap(tick -> redis.opsForStream().pending(NotificationStream.STREAM,
                        NotificationStream.WEBHOOK_GROUP, Range.unbounded(), 1000L))
                .map(pending -> pending.stream().noneMatch(p -> p.getIdAsString().equals(attempts.get(0).eventId())))
                .filter(Boolean::booleanValue)
                .blockFirst(Duration.ofSeconds(10));
        assertThat(acknowledged).isTrue();
    }

    @Test
    void aBurstOfEventsLandsOnTheStreamInOrderEachWithItsOwnId() {
        NotificationStream stream = new NotificationStream(redis, 100_000, metrics);
        String burst = UUID.randomUUID().toString();
        int count = 3 * NotificationStream.BATCH + 7; // several writes, the last one partial
        List<String> events = IntStream.range(0, count)
                .mapToObj(n -> "{\"type\":\"test\",\"burst\":\"" + burst + "\",\"n\":" + n + "}").toList();
        List<String> ids = Flux.fromIterable(events).flatMapSequential(stream::add, count).collectList()
                .block(Duration.ofSeconds(10));

        Map<String, String> onStream = new HashMap<>();
        redis.opsForStream().range(NotificationStream.STREAM, Range.unbounded()).collectList()
                .block(Duration.ofSeconds(10)).forEach(record -> {
            String event = String.valueOf(record.getValue().get("event"));
            if (event.contains(burst)) {
                onStream.put(record.getId().getValue(), event);
            }
        });
        assertThat(onStream).hasSize(count);
        assertThat(ids).hasSize(count).doesNotHaveDuplicates();
        for (int n = 0; n < count; n++) {
            assertThat(onStream.get(ids.get(n))).as("event %d", n).isEqualTo(events.get(n));
        }
        List<RecordId> order = ids.stream().map(RecordId::of).toList();
        assertThat(order).isSortedAccordingTo(Comparator.comparingLong(RecordId::getTimestamp)
                .thenComparingLong(RecordId::getSequence));
    }

    @Test
    void escalatingAgainWithinADayIsAnEventOnTheStream() {
        String[] standard = escalations.customerOfTier("standard", 400);
        escalations.create(standard[1], EscalationClient.web("billing"));
        String second = escalations.create(standard[1], EscalationClient.web("billing"));

        String event = Flux.interval(Duration.ofMillis(50)).onBackpressureDrop().take(100)
                .concatMap(tick -> redis.opsForStream().range(NotificationStream.STREAM, Range.unbounded()).collectList())
                .flatMapIterable(records -> records)
                .map(record -> String.valueOf(record.getValue().get("event")))
                .filter(json -> json.contains(second))
                .blockFirst(Duration.ofSeconds(10));
        assertThat(JSON.readTree(event).get("rule").asString()).isEqualTo("repeat-escalation");
    }
}
