package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.surge.gateway.identity.Caller;

/**
 * The {@code Authorization} header as it comes off the wire (header bytes are ISO-8859-1), read before anything is
 * verified: {@code CallerWebFilter.bearerToken} and admission's {@code VerifiedTokens.claimedCaller}. Neither may
 * ever throw, whatever a client sends: they answer a well-formed token or none, and a caller (anonymous when in
 * doubt). The normal build replays the inputs in {@code BearerTokenFuzzTestsInputs}.
 */
class BearerTokenFuzzTests {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @FuzzTest(maxDuration = "2m")
    void anAuthorizationHeaderYieldsAWellFormedTokenOrNone(byte[] input) {
        String header = new String(input, StandardCharsets.ISO_8859_1);
        String token = TokenClaims.bearerToken(header);
        Caller claimed = VerifiedTokens.claimedCaller(header);
        assertThat(claimed).isNotNull();
        if (token == null) {
            assertThat(claimed).isEqualTo(Caller.ANONYMOUS);
            return;
        }
        assertThat(header.regionMatches(true, 0, "Bearer ", 0, 7)).isTrue();
        assertThat(header.substring(7)).isEqualTo(token);
        assertThat(TokenClaims.isBearerToken(token)).isTrue();
        assertThat(token).matches("[A-Za-z0-9._~+/-]+=*");
    }

    /** Deeper: a well-formed unsigned JWT whose claims are the fuzzer's bytes, so the claims parser is reached. */
    @FuzzTest(maxDuration = "2m")
    void theClaimsOfAnUnverifiedTokenYieldACallerOrAnonymous(byte[] claims) {
        String header = B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        Caller claimed = VerifiedTokens.claimedCaller("Bearer " + header + "." + B64.encodeToString(claims) + ".");
        assertThat(claimed).isNotNull();
        if (claimed.kind() != Caller.Kind.ANONYMOUS) {
            assertThat(claimed.id()).as("a caller other than anonymous has an id").isNotNull();
        }
    }
}
