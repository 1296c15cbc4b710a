package dev.surge.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.nimbusds.jose.jwk.source.ImmutableSecret;

/** Tokens for tests: real ones from {@code POST /demo/tokens}, and hand-made bad ones. */
public final class TestTokens {

    /** The demo profile's default secret (application-demo.yaml). */
    public static final String DEMO_SECRET = "surge-demo-secret-change-me-0123456789abcdef";

    private TestTokens() {
    }

    public static String customer(WebTestClient client, String customerId) {
        return mint(client, Map.of("customerId", customerId));
    }

    public static String agent(WebTestClient client, String agentId, List<String> skills) {
        return mint(client, Map.of("agentId", agentId, "skills", skills));
    }

    @SuppressWarnings("unchecked")
    public static String mint(WebTestClient client, Map<String, Object> request) {
        Map<String, Object> body = client.post().uri("/demo/tokens")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) body.get("accessToken");
    }

    /** A customer token signed with {@code secret}, issued at {@code issuedAt}, valid for {@code seconds}. */
    public static String signed(String secret, String subject, Instant issuedAt, long seconds) {
        return signed(secret, subject, List.of("customer"), issuedAt, seconds);
    }

    /** A token for {@code subject} with the roles, signed with {@code secret}, valid for an hour from now. */
    public static String signed(String secret, String subject, List<String> roles) {
        return signed(secret, subject, roles, Instant.now(), 3600);
    }

    private static String signed(String secret, String subject, List<String> roles, Instant issuedAt, long seconds) {
        var key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        var claims = JwtClaimsSet.builder().subject(subject).issuedAt(issuedAt)
                .expiresAt(issuedAt.plusSeconds(seconds)).claim("roles", roles).build();
        return new NimbusJwtEncoder(new ImmutableSecret<>(key))
                .encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }

    /** An unsigned token ({@code alg: none}) claiming to be the customer. */
    public static String unsigned(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        String payload = b64.encodeToString(("{\"sub\":\"" + subject + "\",\"roles\":[\"customer\"],\"exp\":" + exp
                + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }
}
