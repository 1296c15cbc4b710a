package dev.surge.gateway.security;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

import dev.surge.gateway.TestTokens;

/** Missing, expired and forged tokens are turned away with 401; tokens of the wrong role with 403. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class SecurityIntegrationTests {

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    private WebTestClient.ResponseSpec me(String token) {
        return client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange();
    }

    private static void unauthorized(WebTestClient.ResponseSpec response, String challenge) {
        response.expectStatus().isUnauthorized()
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.type").isNotEmpty()
                .jsonPath("$.title").isEqualTo("Unauthorized")
                .jsonPath("$.instance").isEqualTo("/api/v1/me");
    }

    @Test
    void missingTokenGets401WithBearerChallenge() {
        unauthorized(client.get().uri("/api/v1/me").exchange(), "Bearer realm=\"surge\"");
    }

    @Test
    void expiredTokenGets401() {
        String expired = TestTokens.signed(TestTokens.DEMO_SECRET, "c42", Instant.now().minusSeconds(7200), 600);
        unauthorized(me(expired), "Bearer .*error=\"invalid_token\".*");
    }

    @Test
    void tokenSignedWithAnotherKeyGets401() {
        String forged = TestTokens.signed("another-secret-another-secret-another-secret", "c42", Instant.now(), 600);
        unauthorized(me(forged), "Bearer .*error=\"invalid_token\".*");
    }

    @Test
    void unsignedAlgNoneTokenGets401() {
        unauthorized(me(TestTokens.unsigned("c42")), "Bearer .*error=\"invalid_token\".*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.sig"})
    void garbageTokensGet401(String token) {
        unauthorized(me(token), "Bearer .*error=\"invalid_token\".*");
    }

    /**
     * A valid token with characters outside RFC 6750's token syntax appended (which a lenient Base64 decoder skips)
     * is refused, also where a customer's cached read is answered ahead of Spring Security.
     */
    @ParameterizedTest
    @ValueSource(strings = {"!", "%", " x", "\u00e9"})
    void aValidTokenWithCharactersOutsideTheTokenSyntaxGets401(String suffix) {
        String valid = TestTokens.signed(TestTokens.DEMO_SECRET, "c4711", Instant.now(), 600);
        me(valid).expectStatus().isOk(); // the profile is in the near cache now: the fast path could answer
        // Refused tokens count as anonymous calls, limited per client address: these come from 127.0.0.2 so that
        // they never share a budget with the other 401 tests' calls from 127.0.0.1.
        WebTestClient fromElsewhere = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create()
                        .bindAddress(() -> new InetSocketAddress("127.0.0.2", 0))))
                .baseUrl("http://127.0.0.1:" + port).build();
        unauthorized(fromElsewhere.get().uri("/api/v1/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + valid + suffix).exchange(), "Bearer .*");
    }

    @Test
    void validTokenIsAccepted() {
        String valid = TestTokens.signed(TestTokens.DEMO_SECRET, "c42", Instant.now(), 600);
        me(valid).expectStatus().isOk();
    }

    @Test
    void agentTokenCannotReadCustomerData() {
        String agent = TestTokens.agent(client, "a1", List.of("orders"));
        me(agent).expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, ".*insufficient_scope.*")
                .expectBody().jsonPath("$.status").isEqualTo(403);
    }

    @Test
    void demoTokensRejectBadRequestsWith400() {
        client.post().uri("/demo/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"customerId\":\"c1\",\"agentId\":\"a1\"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("Give exactly one of customerId, agentId, serviceId and opsId.");
        client.post().uri("/demo/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"customerId\":\"bob\"}").exchange()
                .expectStatus().isBadRequest();
        client.post().uri("/demo/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"agentId\":\"a1\",\"skills\":[\"juggling\"]}").exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void demoTokensAnswerTheDocumentedShape() {
        client.post().uri("/demo/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"serviceId\":\"ivr-1\"}").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.accessToken").isNotEmpty()
                .jsonPath("$.tokenType").isEqualTo("Bearer")
                .jsonPath("$.expiresIn").isEqualTo(3600);
    }
}
