package dev.surge.gateway.security;

import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.surge.gateway.backoffice.Tier;

/**
 * Resolves the {@link Caller} before rate limiting and admission, which run ahead of Spring Security's chain (so
 * that they also cover the cached-read fast path). The token is verified in full by the same caching decoder Spring
 * Security uses, so a token seen before costs a map lookup, and Spring Security then finds it already verified.
 */
final class CallerWebFilter implements WebFilter, Ordered {

    /** After the body limit (+10), before rate limiting (+14), admission (+16) and the fast path (+20). */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 12;

    private final CachingJwtDecoder decoder;

    CallerWebFilter(CachingJwtDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String token = bearerToken(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            return chain.filter(exchange);
        }
        Jwt known = decoder.verified(token);
        if (known != null) { // the common case: no Mono assembly at all
            exchange.getAttributes().put(Caller.ATTRIBUTE, caller(known));
            return chain.filter(exchange);
        }
        return decoder.decode(token)
                .map(CallerWebFilter::caller)
                .onErrorResume(e -> Mono.empty()) // invalid: anonymous here, 401 from Spring Security where it matters
                .doOnNext(caller -> exchange.getAttributes().put(Caller.ATTRIBUTE, caller))
                .then(Mono.defer(() -> chain.filter(exchange)));
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

    static Caller caller(Jwt jwt) {
        return caller(jwt.getClaims());
    }

    /** The caller a token's claims describe (for a verified token; see {@link VerifiedTokens#claimedCaller}). */
    static Caller caller(Map<String, Object> claims) {
        Caller.Kind kind = hasRole(claims, SurgeRoles.AGENT) ? Caller.Kind.AGENT
                : hasRole(claims, SurgeRoles.CUSTOMER) ? Caller.Kind.CUSTOMER
                : hasRole(claims, SurgeRoles.SERVICE) ? Caller.Kind.SERVICE
                : Caller.Kind.ANONYMOUS;
        Object subject = claims.get(JwtClaimNames.SUB);
        if (kind == Caller.Kind.ANONYMOUS || !(subject instanceof String id)) {
            return Caller.ANONYMOUS;
        }
        return new Caller(kind, id, kind == Caller.Kind.CUSTOMER ? tier(claims) : Tier.STANDARD);
    }

    static boolean hasRole(Map<String, Object> claims, String role) {
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
