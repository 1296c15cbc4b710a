package dev.surge.gateway.identity;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who is calling. Resolved once per request by {@code security.CallerWebFilter} from a token that verified in full
 * (the same check Spring Security makes) and kept on the exchange: rate limits are keyed by it, admission ranks by
 * it, the journey records it, and the APIs read the customer from it. A missing or invalid token makes an anonymous
 * caller (Spring Security still answers it with 401 where a token is needed). It never grants access by itself.
 *
 * @param kind customer, agent, service or anonymous (a token with several roles is the first of agent, customer,
 *             service it holds; an ops token alone
 *             makes a service that acts for no customer)
 * @param id the token's subject; null when anonymous
 * @param tier the customer's tier from the token's {@code tier} claim; standard when absent or not a customer
 * @param actsForCustomers whether the caller submits requests on customers' behalf, naming the customer (a phone
 *                         system: a service token that is not also a customer's)
 */
public record Caller(Kind kind, @Nullable String id, Tier tier, boolean actsForCustomers) {

    /** The request header in which an app names its channel ({@code web}, {@code mobile}); absent for others. */
    public static final String CHANNEL_HEADER = "Surge-Channel";

    /** Exchange attribute holding the caller. */
    public static final String ATTRIBUTE = Caller.class.getName();

    /** The caller without a (valid) token. */
    public static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, null, Tier.STANDARD);

    public enum Kind { CUSTOMER, AGENT, SERVICE, ANONYMOUS }

    /** A caller whose roles are its kind's alone: only a service acts for customers. */
    public Caller(Kind kind, @Nullable String id, Tier tier) {
        this(kind, id, tier, kind == Kind.SERVICE);
    }

    /** The caller of this exchange; anonymous if it was not resolved (e.g. a filter ordered before it). */
    public static Caller of(ServerWebExchange exchange) {
        Caller caller = exchange.getAttribute(ATTRIBUTE);
        return caller != null ? caller : ANONYMOUS;
    }
}
