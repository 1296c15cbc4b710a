package dev.surge.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.VirtualTime;
import dev.surge.gateway.redis.EmbeddedRedis;
import tools.jackson.databind.json.JsonMapper;

/**
 * Redis gone: no request waits for it. A shed customer gets the plain 503 with Retry-After at once (the waiting room
 * cannot hand out places it cannot keep), the fallback is counted, and once the room's periodic look fails too a
 * waiting customer is told the room cannot be read rather than shown a position that no longer moves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "surge.admission.fixed-limit=10", "surge.admission.waiting-room.enabled=true",
        "surge.admission.waiting-room.redis-timeout=50ms"})
@Import(VirtualTime.class)
@AutoConfigureWebTestClient
@DirtiesContext
class WaitingRoomRedisOutageIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient client;

    @Autowired
    PriorityLimiter limiter;

    @Autowired
    EmbeddedRedis redis;

    @Autowired
    WaitingRoom room;

    @Autowired
    MeterRegistry registry;

    private double fallbacks() {
        return registry.find(WaitingRoomMetrics.FALLBACKS).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private EntityExchangeResult<byte[]> me(String token) {
        return client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange().expectBody()
                .returnResult();
    }

    @Test
    void aShedCustomerGetsThePlain503AtOnceWhileRedisIsDown() {
        List<String> customers = TierTokens.ofTier(client, "standard", 2, 7600);
        List<PriorityLimiter.Permit> held = new ArrayList<>();
        PriorityLimiter.Permit permit;
        while ((permit = limiter.tryAcquire(Priority.AGENT_AND_ESCALATION)) != null) {
            held.add(permit);
        }
        try {
            EntityExchangeResult<byte[]> queued = me(customers.get(0));
            String ticket = JSON.readTree(queued.getResponseBody()).get("ticket").asString();
            double before = fallbacks();

            redis.stop();
            try {
                for (String customer : customers) {
                    long started = System.nanoTime();
                    EntityExchangeResult<byte[]> shed = me(customer);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    assertThat(shed.getStatus().value()).isEqualTo(503);
                    assertThat(JSON.readTree(shed.getResponseBody()).get("type").asString())
                            .isEqualTo("https://surge.dev/problems/overloaded");
                    assertThat(shed.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
                    // Generous for a shared machine; waiting on a dead Redis would take Lettuce's seconds.
                    assertThat(millis).as("answered in %d ms", millis).isLessThan(1_000);
                }
                assertThat(fallbacks()).isGreaterThanOrEqualTo(before + 2);
                room.tick().block(Duration.ofSeconds(5)); // the periodic look fails too: the room is off
                assertThat(fallbacks()).isGreaterThanOrEqualTo(before + 3);
                WebTestClient.ResponseSpec status = client.get().uri("/api/v1/waiting-room/{ticket}", ticket)
                        .headers(h -> h.setBearerAuth(customers.get(0))).exchange();
                status.expectStatus().isEqualTo(503).expectHeader().exists(HttpHeaders.RETRY_AFTER);
            } finally {
                redis.start();
            }
        } finally {
            held.forEach(PriorityLimiter.Permit::onIgnore);
        }
    }
}
