package dev.surge.gateway.backoffice;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.TestTokens;

/**
 * A back office that refuses connections: customers get 502 at once, the instance leaves the load balancer
 * (readiness DOWN) but stays alive (liveness UP), so it is not restarted for someone else's outage.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "surge.backoffice.base-url=http://127.0.0.1:9")
@AutoConfigureWebTestClient
class BackOfficeUnreachableIntegrationTests {

    @Autowired
    WebTestClient client;

    @Test
    void refusedConnectionsGive502AndReadinessGoesDown() {
        String token = TestTokens.customer(client, "c42");
        client.get().uri("/api/v1/me/orders").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isEqualTo(502)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(502);

        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.backOffice.status").isEqualTo("DOWN");
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }
}
