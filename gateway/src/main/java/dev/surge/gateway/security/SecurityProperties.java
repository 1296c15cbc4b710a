package dev.surge.gateway.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** How bearer tokens are verified (and, on the demo profile, minted), under {@code surge.security.jwt}. */
@Validated
@ConfigurationProperties("surge.security")
public class SecurityProperties {

    @jakarta.validation.Valid
    private final Jwt jwt = new Jwt();

    public Jwt getJwt() {
        return jwt;
    }

    /** Token verification settings. Exactly one of {@code hmac-secret} and {@code jwk-set-uri} must be set. */
    public static class Jwt {

        public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
        public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);
        public static final int MIN_SECRET_BYTES = 32;
        public static final int DEFAULT_VERIFIED_CACHE_SIZE = 50_000;

        /** Shared HS256 secret (at least 32 bytes). Demo profile only; no default. */
        private @Nullable String hmacSecret;

        /** JWKS URI of the identity provider (RS256/ES256 keys). Prod profile; no default. */
        private @Nullable URI jwkSetUri;

        /** Required {@code iss} of every token; default none (any issuer the key signs for). */
        private @Nullable String issuer;

        /** Tolerated clock difference when checking {@code exp} and {@code nbf}. Default 30s. */
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;

        /** Lifetime of tokens minted by {@code POST /demo/tokens}. Default 1h. */
        private Duration tokenTtl = DEFAULT_TOKEN_TTL;

        /**
         * How many verified tokens each instance remembers (about 1 KB each), so a token is verified once rather
         * than on every request; 0 turns this off. Default 50000, allowed 0 to 1000000.
         */
        @Min(value = 0, message = "surge.security.jwt.verified-cache-size must be between 0 and 1000000")
        @Max(value = 1_000_000, message = "surge.security.jwt.verified-cache-size must be between 0 and 1000000")
        private int verifiedCacheSize = DEFAULT_VERIFIED_CACHE_SIZE;

        /** Longest a verified token is remembered, whatever its own expiry. Default 1h. */
        private Duration verifiedCacheTtl = DEFAULT_TOKEN_TTL;

        public int getVerifiedCacheSize() {
            return verifiedCacheSize;
        }

        public void setVerifiedCacheSize(int verifiedCacheSize) {
            this.verifiedCacheSize = verifiedCacheSize;
        }

        public Duration getVerifiedCacheTtl() {
            return verifiedCacheTtl;
        }

        public void setVerifiedCacheTtl(Duration verifiedCacheTtl) {
            this.verifiedCacheTtl = verifiedCacheTtl;
        }

        @AssertTrue(message = "set exactly one of surge.security.jwt.hmac-secret (at least 32 bytes) and "
                + "surge.security.jwt.jwk-set-uri")
        boolean isKeySourceValid() {
            boolean secret = hmacSecret != null && !hmacSecret.isBlank();
            if (secret == (jwkSetUri != null)) {
                return false;
            }
            return !secret || hmacSecret.getBytes(StandardCharsets.UTF_8).length >= MIN_SECRET_BYTES;
        }

        @AssertTrue(message = "surge.security.jwt.clock-skew must be between 0 and 5m, token-ttl between 1m and 24h")
        boolean isDurationsValid() {
            return !clockSkew.isNegative() && clockSkew.compareTo(Duration.ofMinutes(5)) <= 0
                    && tokenTtl.compareTo(Duration.ofMinutes(1)) >= 0 && tokenTtl.compareTo(Duration.ofHours(24)) <= 0;
        }

        public @Nullable String getHmacSecret() {
            return hmacSecret;
        }

        public void setHmacSecret(@Nullable String hmacSecret) {
            this.hmacSecret = hmacSecret;
        }

        public @Nullable URI getJwkSetUri() {
            return jwkSetUri;
        }

        public void setJwkSetUri(@Nullable URI jwkSetUri) {
            this.jwkSetUri = jwkSetUri;
        }

        public @Nullable String getIssuer() {
            return issuer;
        }

        public void setIssuer(@Nullable String issuer) {
            this.issuer = issuer;
        }

        public Duration getClockSkew() {
            return clockSkew;
        }

        public void setClockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
        }

        public Duration getTokenTtl() {
            return tokenTtl;
        }

        public void setTokenTtl(Duration tokenTtl) {
            this.tokenTtl = tokenTtl;
        }
    }
}
