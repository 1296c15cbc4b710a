package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;

import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.identity.Tier;

class ClaimedCallerTests {

    private static String unsigned(JWTClaimsSet claims) {
        return "Bearer " + new PlainJWT(claims).serialize();
    }

    @Test
    void aTokenIsReadForWhatItClaimsWithoutAnyCheck() {
        assertThat(VerifiedTokens.claimedCaller(unsigned(new JWTClaimsSet.Builder().subject("c7")
                .claim("roles", List.of("customer")).claim("tier", "platinum").build())))
                .isEqualTo(new Caller(Caller.Kind.CUSTOMER, "c7", Tier.PLATINUM));
        assertThat(VerifiedTokens.claimedCaller(unsigned(new JWTClaimsSet.Builder().subject("a1")
                .claim("roles", List.of("agent")).build())))
                .isEqualTo(new Caller(Caller.Kind.AGENT, "a1", Tier.STANDARD));
        // no role or no subject: nobody in particular
        assertThat(VerifiedTokens.claimedCaller(unsigned(new JWTClaimsSet.Builder().subject("c7").build())))
                .isEqualTo(Caller.ANONYMOUS);
        assertThat(VerifiedTokens.claimedCaller(unsigned(new JWTClaimsSet.Builder()
                .claim("roles", List.of("customer")).build()))).isEqualTo(Caller.ANONYMOUS);
    }

    @Test
    void whatIsNotABearerTokenIsAnonymous() {
        assertThat(VerifiedTokens.claimedCaller(null)).isEqualTo(Caller.ANONYMOUS);
        assertThat(VerifiedTokens.claimedCaller("Basic dXNlcjpwYXNz")).isEqualTo(Caller.ANONYMOUS);
        assertThat(VerifiedTokens.claimedCaller("Bearer not-a-jwt")).isEqualTo(Caller.ANONYMOUS);
        assertThat(VerifiedTokens.claimedCaller("Bearer a.b.c!")).isEqualTo(Caller.ANONYMOUS);
        assertThat(VerifiedTokens.claimedCaller("Bearer e30.e30.")).isEqualTo(Caller.ANONYMOUS); // {} and {}
    }
}
