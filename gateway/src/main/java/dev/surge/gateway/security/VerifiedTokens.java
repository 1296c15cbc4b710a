package dev.surge.gateway.security;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Tokens this instance has already verified in full (signature, algorithm, expiry, issuer) and that have not expired
 * since. Lets a fast path trust a token without verifying it again; anything not here goes through Spring Security.
 */
public interface VerifiedTokens {

    /** The verified, unexpired token with exactly this text, or null. Never verifies anything itself. */
    @Nullable Jwt verified(String token);

    /** Whether the token carries the role (from the {@code roles} claim). */
    static boolean hasRole(Jwt jwt, String role) {
        Object roles = jwt.getClaims().get(SurgeRoles.CLAIM_ROLES);
        return roles instanceof java.util.Collection<?> list && list.contains(role);
    }
}
