package dev.surge.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.SimulatorControl;
import dev.surge.gateway.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the gateway logs, read from what a real run wrote: requests carrying personal data (a callback phone number and
 * a message in an escalation, a delivery address, the customer's e-mail in their profile, valid and forged tokens),
 * some of them failing in the back office, leave none of it in any log line; an outage of the back office writes a
 * bounded number of lines and no stack trace, however many calls fail.
 */
// A context of its own (the property names nothing) and the scan first: failure lines are throttled per kind for 10 s
// (core.LogThrottle), so in a context another class shares, or after the outage test, the failing write's line would
// be held back and the scan would read less than a fresh run logs.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "surge.test.context=logging")
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoggingIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PHONE = "+4915112345678";
    private static final String MESSAGE = "Erika hier, bitte zwischen zwei und vier anrufen";
    private static final String NAME = "Erika Mustermann";
    private static final String STREET = "Lindenallee 42 Hinterhaus";
    private static final String POSTAL_CODE = "10999";

    @Autowired
    WebTestClient client;

    @AfterEach
    void heal() {
        SimulatorControl.heal(client);
    }

    @Test
    @Order(1)
    void noPersonalDataInAnyLogLine(CapturedOutput output) {
        String token = TestTokens.customer(client, "c4711");
        JsonNode profile = JSON.readTree(client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        String email = profile.get("email").asString();
        JsonNode orders = JSON.readTree(client.get().uri("/api/v1/me/orders").headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        String orderId = orders.get("orders").get(0).get("id").asString();
        Map<String, Object> address = Map.of("name", NAME, "street", STREET, "postalCode", POSTAL_CODE,
                "city", "Berlin", "country", "DE");
        changeAddress(token, orderId, address).expectStatus().value(status -> assertThat(status).isLessThan(500));
        // The same change while every write fails in the back office: the failure path logs.
        SimulatorControl.faults(client, "{\"writes\":{\"errorRate\":1.0}}");
        changeAddress(token, orderId, address).expectStatus().is5xxServerError();
        SimulatorControl.heal(client);

        Map<String, Object> escalation = new HashMap<>(Map.of("reason", "delivery", "channel", "web",
                "message", MESSAGE, "contact", Map.of("method", "callback", "phone", PHONE,
                        "windowStart", Instant.now().plus(Duration.ofHours(1)).toString(),
                        "windowEnd", Instant.now().plus(Duration.ofHours(3)).toString())));
        client.post().uri("/api/v1/escalations").headers(h -> {
            h.setBearerAuth(token);
            h.set("Idempotency-Key", UUID.randomUUID().toString());
        }).contentType(MediaType.APPLICATION_JSON).bodyValue(escalation).exchange().expectStatus().isAccepted();
        // An invalid one, so the 400 path runs with the same data in the body.
        Map<String, Object> invalid = new HashMap<>(escalation);
        invalid.put("reason", "no-such-reason");
        client.post().uri("/api/v1/escalations").headers(h -> {
            h.setBearerAuth(token);
            h.set("Idempotency-Key", UUID.randomUUID().toString());
        }).contentType(MediaType.APPLICATION_JSON).bodyValue(invalid).exchange().expectStatus().isBadRequest();

        String forged = TestTokens.signed("not-the-demo-secret-not-the-demo-secret-0123456789", "c4711",
                Instant.now(), 600);
        String unsigned = TestTokens.unsigned("c4711");
        for (String bad : List.of(forged, unsigned)) {
            client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(bad)).exchange()
                    .expectStatus().isUnauthorized();
        }

        String logged = output.getAll();
        assertThat(logged).as("the failed write was logged, so the scan reads a failure path")
                .contains("PUT /api/v1/me/orders/" + orderId + "/delivery-address failed with 5");
        for (String personal : List.of(email, PHONE, PHONE.substring(1), MESSAGE, NAME, STREET, token, forged,
                unsigned, signature(token), signature(forged))) {
            assertThat(logged).as("the log holds no personal data or token").doesNotContain(personal);
        }
    }

    @Test
    @Order(2)
    void anOutageLogsABoundedNumberOfLinesAndNoStackTrace(CapturedOutput output) {
        int calls = 40;
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < calls; i++) {
            tokens.add(TestTokens.customer(client, "c" + (20000 + i)));
        }
        SimulatorControl.faults(client, "{\"errorRate\":1.0}");
        int before = output.getAll().length();
        for (String token : tokens) {
            // Each a different customer: nothing cached, every request goes to the failing back office.
            client.get().uri("/api/v1/me/account").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().is5xxServerError();
        }
        List<String> lines = output.getAll().substring(before).lines().toList();
        assertThat(lines).as("lines logged for %d failed calls", calls).hasSizeLessThanOrEqualTo(5);
        assertThat(lines).noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by"));
    }

    private WebTestClient.ResponseSpec changeAddress(String token, String orderId, Map<String, Object> address) {
        return client.put().uri("/api/v1/me/orders/{id}/delivery-address", orderId).headers(h -> {
            h.setBearerAuth(token);
            h.set("Idempotency-Key", UUID.randomUUID().toString());
        }).contentType(MediaType.APPLICATION_JSON).bodyValue(address).exchange();
    }

    private static String signature(String token) {
        return token.substring(token.lastIndexOf('.') + 1);
    }
}
