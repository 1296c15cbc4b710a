package dev.surge.gateway.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import com.nimbusds.jose.jwk.source.ImmutableSecret;

import dev.surge.gateway.security.SecurityConfiguration;
import dev.surge.gateway.security.SecurityProperties;
import dev.surge.gateway.security.SurgeRoles;

/**
 * Mints HS256 tokens with the demo secret, standing in for an identity provider on the demo profile. Signing is a
 * few microseconds of CPU, so it runs on the event loop.
 */
final class DemoTokenIssuer {

    /** Issuer of every demo token. */
    static final String ISSUER = "surge-demo";

    private final JwtEncoder encoder;
    private final Clock clock;
    private final Duration ttl;

    DemoTokenIssuer(SecurityProperties.Jwt jwt, Clock clock) {
        this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(SecurityConfiguration.hmacKey(jwt)));
        this.clock = clock;
        this.ttl = jwt.getTokenTtl();
    }

    Duration ttl() {
        return ttl;
    }

    String mint(String subject, String role, @Nullable List<String> skills, @Nullable String name) {
        return mint(subject, role, skills, name, null);
    }

    String mint(String subject, String role, @Nullable List<String> skills, @Nullable String name,
                @Nullable String tier) {
        Instant now = clock.instant();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .subject(subject)
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .claim(SurgeRoles.CLAIM_ROLES, List.of(role));
        if (skills != null) {
            claims.claim(SurgeRoles.CLAIM_SKILLS, skills);
        }
        if (name != null) {
            claims.claim(SurgeRoles.CLAIM_NAME, name);
        }
        if (tier != null) {
            claims.claim(SurgeRoles.CLAIM_TIER, tier);
        }
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
    }
}
