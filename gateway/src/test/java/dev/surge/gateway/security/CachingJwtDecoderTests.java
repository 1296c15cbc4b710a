package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.test.StepVerifier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.surge.gateway.MutableClock;
import dev.surge.gateway.TestTokens;

/** Remembered tokens save the verification work but never outlive their expiry or accept a changed token. */
class CachingJwtDecoderTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    private final ReactiveJwtDecoder decoder = new SecurityConfiguration().jwtDecoder(properties(), clock,
            new SimpleMeterRegistry());

    private static SecurityProperties properties() {
        SecurityProperties properties = new SecurityProperties();
        properties.getJwt().setHmacSecret(TestTokens.DEMO_SECRET);
        properties.getJwt().setClockSkew(Duration.ofSeconds(30));
        return properties;
    }

    @Test
    void aVerifiedTokenIsRememberedUntilItExpires() {
        assertThat(decoder).isInstanceOf(CachingJwtDecoder.class);
        String token = TestTokens.signed(TestTokens.DEMO_SECRET, "c42", clock.instant(), 600);
        Jwt first = decoder.decode(token).block(Duration.ofSeconds(5));
        Jwt again = decoder.decode(token).block(Duration.ofSeconds(5));
        assertThat(again).isSameAs(first);
        assertThat(again.getSubject()).isEqualTo("c42");

        clock.advance(Duration.ofSeconds(600 + 31)); // past exp and the 30 s skew
        StepVerifier.create(decoder.decode(token)).expectError(JwtException.class).verify(Duration.ofSeconds(5));
    }

    @Test
    void aTokenWithAnotherSignatureIsVerifiedAfresh() {
        String token = TestTokens.signed(TestTokens.DEMO_SECRET, "c42", clock.instant(), 600);
        decoder.decode(token).block(Duration.ofSeconds(5));
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        StepVerifier.create(decoder.decode(tampered)).expectError(JwtException.class).verify(Duration.ofSeconds(5));
    }
}
