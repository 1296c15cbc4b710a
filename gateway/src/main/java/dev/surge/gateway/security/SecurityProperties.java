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

    /**
     * Token verification settings. Exactly one of {@code hmac-secret} and {@code jwk-set-uri} must be set; with
     * {@code jwk-set-uri} (a real identity provider) {@code issuer} and {@code audience} are required too.
     */
    public static class Jwt {

        public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
        public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofMinutes(5);
        public static final Duration DEFAULT_JWKS_MIN_FETCH_INTERVAL = Duration.ofSeconds(30);
        public static final Duration DEFAULT_JWKS_FETCH_TIMEOUT = Duration.ofSeconds(2);
        public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);
        public static final int MIN_SECRET_BYTES = 32;
        public static final int DEFAULT_VERIFIED_CACHE_SIZE = 50_000;

        /** Shared HS256 secret (at least 32 bytes). Demo profile only; no default. */
        private @Nullable String hmacSecret;

        /**
         * JWKS URI of the identity provider (RSA or EC keys: RS*, PS* and ES* tokens). Prod profile (env
         * {@code SURGE_JWKS_URI}), required there; no default.
         */
        private @Nullable URI jwkSetUri;

        /**
         * Required {@code iss} of every token. Default none (any issuer the key signs for); required with
         * {@code jwk-set-uri} (env {@code SURGE_JWT_ISSUER} on the prod profile).
         */
        private @Nullable String issuer;

        /**
         * Required {@code aud}: a token is accepted only when its audience contains this value, so a token the same
         * identity provider issued for another application is refused. Default none (no check); required with
         * {@code jwk-set-uri} (env {@code SURGE_JWT_AUDIENCE} on the prod profile).
         */
        private @Nullable String audience;

        /**
         * How old the identity provider's keys may get before they are fetched again, in the background while the
         * known keys keep answering. Default 5m, allowed 10s to 24h.
         */
        private Duration jwksRefreshInterval = DEFAULT_JWKS_REFRESH_INTERVAL;

        /**
         * Least time between two JWKS fetches: a token with an unknown {@code kid} fetches the keys at most once per
         * this interval, however many such tokens arrive; a failed fetch counts too. Default 30s, allowed 1s to 1h
         * and at most the refresh interval.
         */
        private Duration jwksMinFetchInterval = DEFAULT_JWKS_MIN_FETCH_INTERVAL;

        /**
         * Longest a JWKS fetch may take; the only wait a request may have on the identity provider (only a token
         * with an unknown {@code kid} waits at all). Default 2s, allowed 100ms to 30s.
         */
        private Duration jwksFetchTimeout = DEFAULT_JWKS_FETCH_TIMEOUT;

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

        /** Whether tokens are verified with an identity provider's keys (a non-empty {@code jwk-set-uri}). */
        public boolean usesJwks() {
            return jwkSetUri != null && !jwkSetUri.toString().isBlank();
        }

        private boolean usesSecret() {
            return hmacSecret != null && !hmacSecret.isBlank();
        }

        @AssertTrue(message = "surge.security.jwt.jwk-set-uri is required: the identity provider's JWKS (env "
                + "SURGE_JWKS_URI on the prod profile); only the demo profile uses surge.security.jwt.hmac-secret")
        boolean isKeySourceGiven() {
            return usesJwks() || usesSecret();
        }

        @AssertTrue(message = "set only one of surge.security.jwt.hmac-secret and surge.security.jwt.jwk-set-uri")
        boolean isKeySourceUnique() {
            return !(usesJwks() && usesSecret());
        }

        @AssertTrue(message = "surge.security.jwt.hmac-secret must be at least 32 bytes")
        boolean isSecretLongEnough() {
            return !usesSecret() || hmacSecret.getBytes(StandardCharsets.UTF_8).length >= MIN_SECRET_BYTES;
        }

        @AssertTrue(message = "surge.security.jwt.issuer is required with surge.security.jwt.jwk-set-uri (env "
                + "SURGE_JWT_ISSUER on the prod profile): the iss every token must carry")
        boolean isIssuerGivenWithJwks() {
            return !usesJwks() || (issuer != null && !issuer.isBlank());
        }

        @AssertTrue(message = "surge.security.jwt.audience is required with surge.security.jwt.jwk-set-uri (env "
                + "SURGE_JWT_AUDIENCE on the prod profile): the aud every token must carry")
        boolean isAudienceGivenWithJwks() {
            return !usesJwks() || (audience != null && !audience.isBlank());
        }

        @AssertTrue(message = "surge.security.jwt.jwks-refresh-interval must be between 10s and 24h, "
                + "jwks-min-fetch-interval between 1s and 1h and at most the refresh interval, "
                + "jwks-fetch-timeout between 100ms and 30s")
        boolean isJwksTimingValid() {
            return between(jwksRefreshInterval, Duration.ofSeconds(10), Duration.ofHours(24))
                    && between(jwksMinFetchInterval, Duration.ofSeconds(1), Duration.ofHours(1))
                    && jwksMinFetchInterval.compareTo(jwksRefreshInterval) <= 0
                    && between(jwksFetchTimeout, Duration.ofMillis(100), Duration.ofSeconds(30));
        }

        private static boolean between(Duration value, Duration min, Duration max) {
            return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
        }

        public @Nullable String getAudience() {
            return audience;
        }

        public void setAudience(@Nullable String audience) {
            this.audience = audience;
        }

        public Duration getJwksRefreshInterval() {
            return jwksRefreshInterval;
        }

        public void setJwksRefreshInterval(Duration jwksRefreshInterval) {
            this.jwksRefreshInterval = jwksRefreshInterval;
        }

        public Duration getJwksMinFetchInterval() {
            return jwksMinFetchInterval;
        }

        public void setJwksMinFetchInterval(Duration jwksMinFetchInterval) {
            this.jwksMinFetchInterval = jwksMinFetchInterval;
        }

        public Duration getJwksFetchTimeout() {
            return jwksFetchTimeout;
        }

        public void setJwksFetchTimeout(Duration jwksFetchTimeout) {
            this.jwksFetchTimeout = jwksFetchTimeout;
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
