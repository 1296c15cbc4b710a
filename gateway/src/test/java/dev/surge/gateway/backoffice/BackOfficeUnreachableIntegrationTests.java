package dev.surge.gateway.backoffice;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.Management;
import dev.surge.gateway.TestTokens;

/**
 * A back office that refuses connections: customers get 502 at once; the outage shows in health (backOffice DOWN)
 * but the instance stays ready (readiness is the instance alone: every instance shares the back office, and taking
 * them all out of rotation would hide the cache, the spool and the agent API too) and alive (liveness UP).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "surge.backoffice.base-url=http://127.0.0.1:9")
@AutoConfigureWebTestClient
class BackOfficeUnreachableIntegrationTests {

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @Test
    void refusedConnectionsGive502AndShowInHealthButNotInReadiness() {
        String token = TestTokens.customer(client, "c42");
        client.get().uri("/api/v1/me/orders").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isEqualTo(502)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(502);

        WebTestClient management = Management.client(managementPort);
        management.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.backOffice.status").isEqualTo("DOWN");
        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }
}
