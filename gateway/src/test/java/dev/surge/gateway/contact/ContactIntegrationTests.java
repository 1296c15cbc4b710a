package dev.surge.gateway.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.MutableClock;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.VirtualTime;
import dev.surge.gateway.backoffice.BackOfficeClient;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ops summary over real HTTP against the embedded Redis, in virtual time: the known scenario's exact figures in
 * each window and in the gauges, and who may read them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "surge.escalation.default-handle-time=9s")
@AutoConfigureWebTestClient
@Import(VirtualTime.class)
class ContactIntegrationTests {

    /** Customers no other search in this context looks at. */
    private static final AtomicInteger NEXT_CUSTOMER = new AtomicInteger(97_000);

    @Autowired
    WebTestClient client;

    @Autowired
    org.springframework.data.redis.core.ReactiveStringRedisTemplate redis;

    @Autowired
    MutableClock clock;

    @Autowired
    BackOfficeClient backOffice;

    @Autowired
    ContactFlush flush;

    @Autowired
    ContactGauges gauges;

    @Autowired
    MeterRegistry registry;

    @Test
    void theKnownScenarioGivesItsExactFiguresInEveryWindowAndInTheGauges() throws Exception {
        // The suite's Redis is shared: figures and sessions other classes counted (in their own clock's time) must
        // not join this scenario's, e.g. a session whose last activity another clock put in the future.
        redis.scan(org.springframework.data.redis.core.ScanOptions.scanOptions().match("surge:cm:*").count(1000).build())
                .flatMap(redis::delete).then().block(java.time.Duration.ofSeconds(10));
        ContactScenario scenario = new ContactScenario(List.of(client), clock, backOffice, NEXT_CUSTOMER);
        scenario.beforeGap = () -> flush.flushNow().block(Duration.ofSeconds(10));
        scenario.run();
        flush.flushNow().block(Duration.ofSeconds(10));

        JsonNode hour = scenario.summary(0, "1h");
        // Kept as an example of the contract (docs/metrics.md points at it) before it is checked.
        Files.writeString(Path.of("target", "contact-summary-1h.json"), hour.toPrettyString());
        scenario.assertHour(hour, List.of(registry));
        scenario.assertQuarter(scenario.summary(0, "15m"));
        JsonNode day = scenario.summary(0, "24h");
        assertThat(day.get("window").asString()).isEqualTo("24h");
        assertThat(day.get("from").asString()).isEqualTo("2026-11-22T08:32:00Z");
        assertThat(withoutWindow(day)).isEqualTo(withoutWindow(hour));
        // The default window.
        assertThat(client.get().uri("/api/v1/ops/summary").headers(h -> h.setBearerAuth(scenario.opsToken))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody())
                .containsEntry("window", "15m");

        gauges.refresh().block(Duration.ofSeconds(10));
        assertThat(gauge(ContactGauges.CONTAINMENT, "1h", "scope", "customers")).isEqualTo(0.7);
        assertThat(gauge(ContactGauges.CONTAINMENT, "1h", "scope", "sessions")).isEqualTo(0.727);
        assertThat(gauge(ContactGauges.CONTAINMENT, "15m", "scope", "customers")).isEqualTo(1.0);
        assertThat(gauge(ContactGauges.ACTIVE, "24h")).isEqualTo(10.0);
        assertThat(gauge(ContactGauges.ESCALATION_RATE, "1h")).isEqualTo(0.3);
        assertThat(gauge(ContactGauges.ASA, "1h", "skill", "all")).isEqualTo(11.5);
        assertThat(gauge(ContactGauges.ABANDONMENT, "1h", "skill", "returns")).isEqualTo(0.5);
        assertThat(gauge(ContactGauges.SERVICE_LEVEL, "1h", "skill", "all")).isEqualTo(0.667);
        assertThat(gauge(ContactGauges.WAIT_ACCURACY, "1h", "skill", "orders")).isEqualTo(1.0);
        assertThat(gauge(ContactGauges.SERVICE_LEVEL, "15m", "skill", "all")).isNaN();
        assertThat(registry.get(ContactRecorder.DROPPED).counters()).allSatisfy(c -> assertThat(c.count()).isZero());
    }

    private double gauge(String name, String window, String... tags) {
        return registry.get(name).tag("window", window).tags(tags).gauge().value();
    }

    /**
     * The summary without what tells windows apart, and without the requests that carried no channel: the summary
     * requests themselves are among them, counted as each instance's next flush takes them.
     */
    static JsonNode withoutWindow(JsonNode summary) {
        ObjectNode copy = (ObjectNode) summary.deepCopy();
        copy.remove("window");
        copy.remove("from");
        ((ObjectNode) copy.get("protection").get("requestsByChannel")).remove("none");
        return copy;
    }

    @Test
    void aWindowOtherThanTheOnesOfferedIs400NamingTheParameter() {
        String ops = TestTokens.mint(client, Map.of("opsId", "sam"));
        for (String window : List.of("2h", "15", "15M", "")) {
            var spec = client.get().uri("/api/v1/ops/summary?window={w}", window).headers(h -> h.setBearerAuth(ops))
                    .exchange();
            if (window.isEmpty()) {
                spec.expectStatus().isOk(); // empty is the default window
                continue;
            }
            spec.expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(400)
                    .jsonPath("$.detail").isEqualTo("window must be one of 15m, 1h, 24h.");
        }
    }

    @Test
    void onlyOpsMayReadTheSummary() {
        client.get().uri("/api/v1/ops/summary").exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        String customer = TestTokens.customer(client, "c96999");
        String agent = TestTokens.agent(client, "a-nosy", List.of("orders"));
        for (String token : List.of(customer, agent)) {
            client.get().uri("/api/v1/ops/summary?window=1h").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        // An ops token is no customer's and no agent's.
        String ops = TestTokens.mint(client, Map.of("opsId", "sam", "name", "Sam"));
        client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(ops)).exchange().expectStatus().isForbidden();
        client.post().uri("/api/v1/agent/escalations/claim").headers(h -> h.setBearerAuth(ops)).exchange()
                .expectStatus().isForbidden();
    }
}
