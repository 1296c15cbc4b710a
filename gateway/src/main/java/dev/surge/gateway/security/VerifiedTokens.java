package dev.surge.gateway.security;

import java.text.ParseException;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

import com.nimbusds.jwt.JWTParser;

import dev.surge.gateway.identity.Caller;

/**
 * Tokens this instance has already verified in full (signature, algorithm, expiry, issuer) and that have not expired
 * since. Lets a fast path trust a token without verifying it again; anything not here goes through Spring Security.
 * Implemented by {@link CachingJwtDecoder}, the decoder Spring Security verifies with, so both see the same tokens.
 */
public interface VerifiedTokens {

    /** The verified, unexpired token with exactly this text, or null. Never verifies anything itself. */
    @Nullable Jwt verified(String token);

    /**
     * The caller an {@code Authorization} header value names, when that can be known without verifying anything:
     * {@link Caller#ANONYMOUS} for no header or one that is not a well-formed bearer token (as {@code CallerWebFilter}
     * resolves them), the token's caller when it verified in full before, and null when it has to be verified first.
     * For answers given before the web filters run (admission's early shed).
     */
    default @Nullable Caller knownCaller(@Nullable String authorization) {
        String token = TokenClaims.bearerToken(authorization);
        if (token == null) {
            return Caller.ANONYMOUS;
        }
        Jwt known = verified(token);
        return known != null ? TokenClaims.caller(known.getClaims()) : null;
    }

    /**
     * The caller a bearer token <em>claims</em> to be, read without verifying anything: {@link Caller#ANONYMOUS} for
     * no header, a malformed one or a token that does not parse. Only for deciding to shed a request whose class is
     * full, which is safe on a claim: a token that is not what it claims is refused later anyway (401), and a class
     * claimed too low can only get its own request shed. Never for access, rate limits or anything recorded.
     */
    static Caller claimedCaller(@Nullable String authorization) {
        String token = TokenClaims.bearerToken(authorization);
        if (token == null) {
            return Caller.ANONYMOUS;
        }
        try {
            return TokenClaims.caller(JWTParser.parse(token).getJWTClaimsSet().getClaims());
        } catch (ParseException | RuntimeException notAToken) {
            return Caller.ANONYMOUS;
        }
    }
}
