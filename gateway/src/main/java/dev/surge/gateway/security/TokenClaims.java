package dev.surge.gateway.security;

import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.JwtClaimNames;

import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.identity.Tier;

/** Reading a bearer token's header value and claims: its syntax, and the {@link Caller} its claims describe. */
final class TokenClaims {

    private TokenClaims() {
    }

    /** The token of a {@code Bearer} authorization, or null when there is none or it is not well-formed. */
    static @Nullable String bearerToken(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.length() <= 7) {
            return null;
        }
        String token = authorization.substring(7);
        // Nimbus' Base64 decoder skips characters it does not know, so "<valid token>!" would verify; Spring
        // Security refuses such a header (401), and so must every path that answers before it.
        return isBearerToken(token) ? token : null;
    }

    /**
     * RFC 6750's token syntax, {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}, the one
     * Spring Security's bearer token converter checks.
     */
    static boolean isBearerToken(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The caller a token's claims describe (for a verified token; see {@link VerifiedTokens#claimedCaller}). */
    static Caller caller(Map<String, Object> claims) {
        boolean agent = hasRole(claims, SurgeRoles.AGENT);
        boolean customer = hasRole(claims, SurgeRoles.CUSTOMER);
        boolean service = hasRole(claims, SurgeRoles.SERVICE);
        // An ops token (supervisors, dashboards) is a service that acts for no customer: limited and admitted like
        // the agent desk, so the figures stay readable when customers are shed.
        boolean ops = hasRole(claims, SurgeRoles.OPS);
        Caller.Kind kind = agent ? Caller.Kind.AGENT
                : customer ? Caller.Kind.CUSTOMER
                : service || ops ? Caller.Kind.SERVICE
                : Caller.Kind.ANONYMOUS;
        Object subject = claims.get(JwtClaimNames.SUB);
        if (kind == Caller.Kind.ANONYMOUS || !(subject instanceof String id)) {
            return Caller.ANONYMOUS;
        }
        return new Caller(kind, id, kind == Caller.Kind.CUSTOMER ? tier(claims) : Tier.STANDARD,
                service && !customer);
    }

    private static boolean hasRole(Map<String, Object> claims, String role) {
        return claims.get(SurgeRoles.CLAIM_ROLES) instanceof Collection<?> roles && roles.contains(role);
    }

    private static Tier tier(Map<String, Object> claims) {
        if (claims.get(SurgeRoles.CLAIM_TIER) instanceof String name) {
            for (Tier tier : Tier.values()) {
                if (tier.name().equalsIgnoreCase(name)) {
                    return tier;
                }
            }
        }
        return Tier.STANDARD;
    }
}
