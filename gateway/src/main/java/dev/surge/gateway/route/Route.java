package dev.surge.gateway.route;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

/**
 * What the filters need to know of one API endpoint, declared once in {@link Routes}: who may call it (its
 * {@link Area}), its rate-limit class for customers, its admission class, the template the customer's journey
 * records, and whether the cached-read fast path may answer it. Resolved once per request ({@link Routes#of}).
 *
 * @param method the endpoint's method; null for a route made up for a request no declared route matches
 * @param template the path, with {@code {name}} for a variable segment
 * @param limit the rate-limit class a customer's request counts in (agents and anonymous callers have their own)
 * @param admission how admission classes the request
 * @param read whether it is a read (GET or HEAD): admission ranks customers' reads by tier
 * @param journey the path template the customer's journey records, or null when the journey does not record it
 * @param cachedRead whether the fast path may answer it from the near cache
 */
public record Route(@Nullable HttpMethod method, String template, Area area, Limit limit, Admission admission,
                   boolean read, @Nullable String journey, boolean cachedRead) {

    /** Stands for every request outside the API (health, metrics, demo, static pages): no filter applies to it. */
    public static final Route NONE = new Route(null, "", Area.NONE, Limit.READ, Admission.UNCOUNTED, true, null,
            false);

    /** Whether the request is an API call (under {@code /api/}): rate limits and admission apply. */
    public boolean isApi() {
        return area != Area.NONE;
    }

    /** Parts of the API by who may call them; Spring Security's rules are made from these, in this order. */
    public enum Area {
        /** Public reads: stock levels. */
        INVENTORY(Access.PUBLIC, HttpMethod.GET, "/api/v1/inventory/**"),
        /** The customer's own data and actions. */
        ME(Access.CUSTOMER, null, "/api/v1/me", "/api/v1/me/**"),
        /** The agent desk. */
        AGENT(Access.AGENT, null, "/api/v1/agent/**"),
        /** Fleet-wide figures for operations staff and supervisors. */
        OPS(Access.OPS, null, "/api/v1/ops/**"),
        /** The waiting room's tickets (customers shed under overload). */
        WAITING_ROOM(Access.CUSTOMER, null, "/api/v1/waiting-room/**"),
        /** Customers escalate for themselves; phone systems (service tokens) on a caller's behalf. */
        ESCALATIONS(Access.CUSTOMER_OR_SERVICE, null, "/api/v1/escalations", "/api/v1/escalations/**"),
        /** Any other API path needs a token, so anonymous callers cannot map the API surface. */
        API(Access.AUTHENTICATED, null, "/api/**"),
        /** Not the API. */
        NONE(Access.PUBLIC, null);

        private final Access access;
        private final @Nullable HttpMethod method;
        private final List<String> patterns;

        Area(Access access, @Nullable HttpMethod method, String... patterns) {
            this.access = access;
            this.method = method;
            this.patterns = List.of(patterns);
        }

        public Access access() {
            return access;
        }

        /** The only method the area covers, or null for every method. */
        public @Nullable HttpMethod method() {
            return method;
        }

        /** Spring path patterns of the area. */
        public List<String> patterns() {
            return patterns;
        }
    }

    /** Who may call an area. */
    public enum Access { PUBLIC, AUTHENTICATED, CUSTOMER, AGENT, CUSTOMER_OR_SERVICE, OPS }

    /** The rate-limit class of a customer's request. */
    public enum Limit {
        READ, ACTION, ESCALATION,
        /** Polling a waiting-room ticket: a budget of its own. */
        POLL
    }

    /** How admission classes a request. */
    public enum Admission {
        /** The agent desk and escalations: admitted up to the whole limit, whoever calls (but anonymous). */
        RESERVED,
        /** By the caller: agents and services reserved, customers' reads by tier, their actions above reads. */
        BY_CALLER,
        /** Not counted: event streams and the waiting room, which hold no back-office work. */
        UNCOUNTED
    }
}
