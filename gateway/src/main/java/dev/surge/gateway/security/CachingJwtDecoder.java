package dev.surge.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Remembers tokens that were already verified, so an app that sends the same bearer token on every request pays for
 * parsing, the signature check and claim conversion once, not per request. Keyed by the exact token text: a token
 * that differs in any byte (another signature included) is verified afresh. A remembered token is still refused
 * once it expires (same clock and skew as the full check); nothing else about it can change, since it is signed.
 */
final class CachingJwtDecoder implements ReactiveJwtDecoder, VerifiedTokens {

    private final ReactiveJwtDecoder delegate;
    private final Cache<String, Jwt> verified;
    private final Clock clock;
    private final Duration clockSkew;

    CachingJwtDecoder(ReactiveJwtDecoder delegate, int maxTokens, Duration maxLifetime, Clock clock,
                      Duration clockSkew) {
        this.delegate = delegate;
        this.verified = Caffeine.newBuilder().maximumSize(maxTokens).expireAfterWrite(maxLifetime).build();
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = verified(token);
        return known != null ? Mono.just(known) : delegate.decode(token).doOnNext(jwt -> verified.put(token, jwt));
    }

    @Override
    public @Nullable Jwt verified(String token) {
        Jwt known = verified.getIfPresent(token);
        if (known == null) {
            return null;
        }
        Instant expiresAt = known.getExpiresAt();
        if (expiresAt != null && clock.instant().isBefore(expiresAt.plus(clockSkew))) {
            return known;
        }
        verified.invalidate(token);
        return null;
    }
}
