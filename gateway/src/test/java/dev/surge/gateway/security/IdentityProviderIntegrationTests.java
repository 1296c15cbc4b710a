package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.surge.gateway.MutableClock;
import dev.surge.gateway.MutableClockConfiguration;

/**
 * The gateway as on the prod profile (the identity provider's JWKS, a required issuer and audience; no demo tokens)
 * against a JWKS endpoint the test controls: keys are cached, an unknown {@code kid} fetches the keys at most once per
 * interval, a down or slow endpoint costs tokens with known keys nothing and holds no request past the fetch timeout,
 * and rotated keys are picked up (the old one verifying until the provider withdraws it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "surge.demo.enabled=false", "surge.security.jwt.hmac-secret=", "surge.backoffice.base-url=http://127.0.0.1:9",
    "surge.security.jwt.issuer=" + IdentityProviderIntegrationTests.ISSUER,
    "surge.security.jwt.audience=" + IdentityProviderIntegrationTests.AUDIENCE,
    "surge.security.jwt.jwks-fetch-timeout=500ms", "surge.ratelimit.enabled=false"})
@AutoConfigureWebTestClient
@Import(MutableClockConfiguration.class)
class IdentityProviderIntegrationTests {

    static final String ISSUER = "https://idp.example.test";
    static final String AUDIENCE = "surge-gateway";
    private static final JwksServer JWKS = new JwksServer();
    private static final RSAKey K1 = JwksServer.newKey("k1");
    private static final RSAKey K2 = JwksServer.newKey("k2");
    private static final RSAKey ROGUE = JwksServer.newKey("rogue");

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry registry) {
        registry.add("surge.security.jwt.jwk-set-uri", JWKS::uri);
    }

    @AfterAll
    static void stopJwks() {
        JWKS.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    MutableClock clock;

    @BeforeEach
    void healthyProviderAndAFreshInterval() {
        JWKS.down(false);
        JWKS.delay(Duration.ZERO);
        JWKS.publish(K1);
        // Past the refresh interval (5m) and the minimum fetch interval (30s) left by the test before.
        clock.advance(Duration.ofMinutes(10));
    }

    /** A fresh agent token (a new jti, so never answered from the verified-token cache). */
    private String token(RSAKey key, String kid, String issuer, List<String> audience) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("a-idp").issuer(issuer)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString())
                .claim("roles", List.of("agent")).claim("skills", List.of("orders")).claim("name", "Robin");
        if (!audience.isEmpty()) {
            claims.audience(audience);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private String token(RSAKey key) {
        return token(key, key.getKeyID(), ISSUER, List.of(AUDIENCE));
    }

    private int status(String token) {
        return client.get().uri("/api/v1/agent/queues").headers(h -> h.setBearerAuth(token)).exchange()
                .returnResult(Void.class).getStatus().value();
    }

    private void unauthorized(String token) {
        client.get().uri("/api/v1/agent/queues").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer .*error=\"invalid_token\".*");
    }

    @Test
    void knownKeysAreCachedAndTheAudienceAndIssuerAreRequired() {
        assertThat(status(token(K1))).isEqualTo(200);
        int fetched = JWKS.requests();
        for (int i = 0; i < 5; i++) {
            assertThat(status(token(K1))).isEqualTo(200);
        }
        assertThat(JWKS.requests()).as("JWKS fetches for known keys").isEqualTo(fetched);

        unauthorized(token(K1, "k1", ISSUER, List.of("another-app")));
        unauthorized(token(K1, "k1", ISSUER, List.of()));
        unauthorized(token(K1, "k1", "https://another-idp.example.test", List.of(AUDIENCE)));
        unauthorized(token(ROGUE, "k1", ISSUER, List.of(AUDIENCE))); // claims a known kid, signed by another key
        assertThat(status(token(K1, "k1", ISSUER, List.of("another-app", AUDIENCE)))).isEqualTo(200);
    }

    @Test
    void unknownKeyIdsFetchTheKeysAtMostOncePerInterval() {
        assertThat(status(token(K1))).isEqualTo(200);
        int before = JWKS.requests();
        for (int i = 0; i < 20; i++) {
            unauthorized(token(ROGUE, "forged-" + i, ISSUER, List.of(AUDIENCE)));
        }
        assertThat(JWKS.requests() - before).as("fetches for 20 unknown kids").isLessThanOrEqualTo(1);

        clock.advance(Duration.ofSeconds(31)); // past the minimum fetch interval (30s)
        int later = JWKS.requests();
        for (int i = 0; i < 5; i++) {
            unauthorized(token(ROGUE, "forged-later-" + i, ISSUER, List.of(AUDIENCE)));
        }
        assertThat(JWKS.requests() - later).as("fetches for 5 unknown kids in the next interval").isEqualTo(1);
    }

    @Test
    void rotatedKeysArePickedUpAndTheOldKeyVerifiesUntilItIsWithdrawn() {
        assertThat(status(token(K1))).isEqualTo(200);
        JWKS.publish(K1, K2);
        clock.advance(Duration.ofSeconds(31));
        assertThat(status(token(K2))).as("the new kid fetches the keys").isEqualTo(200);
        assertThat(status(token(K1))).as("the old kid still listed").isEqualTo(200);

        JWKS.publish(K2);
        clock.advance(Duration.ofMinutes(6)); // past the refresh interval: the next use refreshes in the background
        int before = JWKS.requests();
        assertThat(status(token(K2))).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (JWKS.requests() == before && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // polling a real condition, bounded
        }
        assertThat(JWKS.requests()).as("a background refresh").isGreaterThan(before);
        int withdrawn = 0;
        while (withdrawn == 0 && System.nanoTime() < deadline) {
            withdrawn = status(token(K1)) == 401 ? 1 : 0;
        }
        assertThat(withdrawn).as("k1 refused once the provider withdrew it").isEqualTo(1);
        assertThat(status(token(K2))).isEqualTo(200);
    }

    @Test
    void anIdentityProviderThatIsDownCostsKnownKeysNothing() {
        assertThat(status(token(K1))).isEqualTo(200);
        JWKS.down(true);
        clock.advance(Duration.ofMinutes(6)); // the keys are due for a refresh, which fails
        int before = JWKS.requests();
        for (int i = 0; i < 10; i++) {
            assertThat(status(token(K1))).isEqualTo(200);
        }
        unauthorized(token(ROGUE, "new-while-down", ISSUER, List.of(AUDIENCE)));
        assertThat(JWKS.requests() - before).as("fetches while down, rate limited").isLessThanOrEqualTo(1);
    }

    @Test
    void aSlowIdentityProviderHoldsNoRequestPastTheFetchTimeout() {
        assertThat(status(token(K1))).isEqualTo(200);
        JWKS.publish(K1, K2);
        JWKS.delay(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(31));

        long started = System.nanoTime();
        unauthorized(token(K2)); // unknown until the fetch answers, which takes longer than the 500 ms allowed
        long waited = (System.nanoTime() - started) / 1_000_000;
        // 500 ms timeout; the rest is slack for a machine shared with other builds, far below the JWKS' 10 s.
        assertThat(waited).as("ms waited on a slow JWKS").isLessThan(3_000);
        started = System.nanoTime();
        assertThat(status(token(K1))).isEqualTo(200);
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms for a known key").isLessThan(3_000);

        JWKS.delay(Duration.ZERO);
        clock.advance(Duration.ofSeconds(31));
        assertThat(status(token(K2))).as("once the JWKS answers in time").isEqualTo(200);
    }
}
