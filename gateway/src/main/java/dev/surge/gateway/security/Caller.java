package dev.surge.gateway.security;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

import dev.surge.gateway.backoffice.Tier;

/**
 * Who is calling, as far as protection needs to know before any work is done: rate limits are keyed by it and
 * admission ranks by it. Resolved once per request by {@code CallerWebFilter} from a token that verified in full;
 * a missing or invalid token makes an anonymous caller (Spring Security still answers it with 401 where a token is
 * needed). It never grants access by itself.
 *
 * @param kind customer, agent, service or anonymous
 * @param id the token's subject; null when anonymous
 * @param tier the customer's tier from the token's {@code tier} claim; standard when absent or not a customer
 */
public record Caller(Kind kind, @Nullable String id, Tier tier) {

    /** Exchange attribute holding the caller. */
    public static final String ATTRIBUTE = Caller.class.getName();

    /** The caller without a (valid) token. */
    public static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, null, Tier.STANDARD);

    public enum Kind { CUSTOMER, AGENT, SERVICE, ANONYMOUS }

    /** The caller of this exchange; anonymous if it was not resolved (e.g. a filter ordered before it). */
    public static Caller of(ServerWebExchange exchange) {
        Caller caller = exchange.getAttribute(ATTRIBUTE);
        return caller != null ? caller : ANONYMOUS;
    }
}
