package dev.surge.gateway.demo;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * On the running demo profile (same context as the security tests): a caller on this machine gets its token, the same
 * call relayed by a proxy gets the 404 of an unknown path, whatever the demo path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DemoExposureIntegrationTests {

    @Autowired
    WebTestClient client;

    @Test
    void aLoopbackCallerMintsATokenARelayedOneFindsNothing() {
        client.post().uri("/demo/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"serviceId\":\"ivr-1\"}").exchange().expectStatus().isOk();
        client.post().uri("/demo/tokens").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", "203.0.113.7")
                .bodyValue("{\"serviceId\":\"ivr-1\"}").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/not-found")
                .jsonPath("$.accessToken").doesNotExist();
        client.put().uri("/demo/backoffice/faults").contentType(MediaType.APPLICATION_JSON)
                .header("Forwarded", "for=203.0.113.7").bodyValue("{\"errorRate\":1.0}").exchange()
                .expectStatus().isNotFound();
        client.get().uri("/demo/backoffice/faults").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.errorRate").isEqualTo(0.0);
    }
}
