package dev.surge.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

import dev.surge.gateway.TestTokens;

/**
 * Bad input of every kind gets a 4xx problem+json with no stack trace and no internal names; never a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ErrorHandlingIntegrationTests {

    @Autowired
    WebTestClient client;

    String token;

    @BeforeEach
    void token() {
        token = TestTokens.customer(client, "c42");
    }

    private static void assertCleanProblem(WebTestClient.ResponseSpec response, int status) {
        byte[] body = response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.type").isNotEmpty()
                .jsonPath("$.title").isNotEmpty()
                .jsonPath("$.detail").isNotEmpty()
                .jsonPath("$.instance").isNotEmpty()
                .returnResult().getResponseBody();
        assertThat(new String(body))
                .doesNotContain("Exception", "java.", "org.springframework", "dev.surge", "\tat ", "trace");
    }

    @ParameterizedTest
    @CsvSource({
        "/api/v1/me/orders?limit=0, 400",
        "/api/v1/me/orders?limit=51, 400",
        "/api/v1/me/orders?limit=abc, 400",
        "/api/v1/me/orders?cursor=not-a-cursor, 400",
        "/api/v1/me/orders?cursor=djE6, 400",
        "/api/v1/me/orders/has.dot, 400",
        "/api/v1/me/orders/" + "x123456789x123456789x123456789x123456789x123456789x123456789x1234567, 400",
        "/api/v1/me/nothing-here, 404",
        "/no/such/path, 404",
    })
    void badReadsGetProblems(String uri, int status) {
        assertCleanProblem(client.get().uri(uri).headers(h -> h.setBearerAuth(token)).exchange(), status);
    }

    /** Spring Security's firewall rejects these before any handler; they get the same problem+json as the rest. */
    @ParameterizedTest
    @CsvSource({
        "/api/v1/me;jsessionid=1",
        "/api/v1/me/orders/%2e%2e/x",
        "/api/v1/inventory/a%2Fb",
        "/api/v1/inventory/a%00b",
    })
    void pathsTheFirewallRejectsGetProblems(String uri) {
        // Resolved against the base URL as it is: a URI template would encode the % signs again.
        assertCleanProblem(client.get().uri(base -> base.build().resolve(uri)).headers(h -> h.setBearerAuth(token))
                .exchange(), 400);
    }

    /**
     * The firewall checks a header when Spring Security reads it, as it reads the bearer token. (An agent path: a
     * customer's cached read can be answered ahead of Spring Security, which the fast path's own tests cover.)
     */
    @Test
    void aHeaderWithAControlCharacterGetsAProblem() {
        assertCleanProblem(client.get().uri("/api/v1/agent/queues")
                .header("Authorization", "Bearer " + token + "\u0085").exchange(), 400);
    }

    @Test
    void malformedSkuIs400ForAnonymousCallersToo() {
        assertCleanProblem(client.get().uri("/api/v1/inventory/{sku}", "bad sku!").exchange(), 400);
    }

    @Test
    void unknownSkuIs404() {
        assertCleanProblem(client.get().uri("/api/v1/inventory/NOPE-1").exchange(), 404);
    }

    @Test
    void wrongMethodIs405() {
        assertCleanProblem(client.delete().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange(), 405);
    }

    @Test
    void malformedJsonIs400() {
        assertCleanProblem(client.post().uri("/demo/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"customerId\": ").exchange(), 400);
    }

    @Test
    void wrongJsonTypeIs400() {
        assertCleanProblem(client.post().uri("/demo/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"skills\": 5, \"agentId\": \"a1\"}").exchange(), 400);
    }

    @Test
    void unsupportedMediaTypeIs415() {
        assertCleanProblem(client.post().uri("/demo/tokens").contentType(MediaType.TEXT_PLAIN)
                .bodyValue("customerId=c1").exchange(), 415);
    }

    @Test
    void oversizedBodyIs413() {
        String big = "{\"customerId\":\"c1\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        assertCleanProblem(client.post().uri("/demo/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(big).exchange(), 413);
    }

    @Test
    void oversizedChunkedBodyIs413() {
        byte[] chunk = new byte[8 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        Flux<org.springframework.core.io.buffer.DataBuffer> body = Flux.range(0, 10)
                .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(chunk));
        assertCleanProblem(client.post().uri("/demo/tokens").contentType(MediaType.APPLICATION_JSON)
                .body(body, org.springframework.core.io.buffer.DataBuffer.class).exchange(), 413);
    }
}
