package dev.surge.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.route.Route;

/**
 * Which limits apply to a request. Defaults fit a person using an app: generous for reads, tighter for actions and
 * escalations; agents work all day and get the most. Properties under {@code surge.ratelimit.classes} replace them.
 */
public enum RouteClass {
    /** A customer reading their data: {@code GET /api/v1/me/**}. */
    READ("read", List.of(new RateWindow("burst", 20, Duration.ofSeconds(1)),
            new RateWindow("quota", 600, Duration.ofMinutes(1)))),
    /** A customer acting for themselves: other methods under {@code /api/v1/me/**}. */
    ACTION("action", List.of(new RateWindow("burst", 5, Duration.ofSeconds(1)),
            new RateWindow("quota", 60, Duration.ofMinutes(1)))),
    /** Asking for a person: {@code POST /api/v1/escalations}, any caller (following one up is a read). */
    ESCALATION("escalation", List.of(new RateWindow("burst", 5, Duration.ofSeconds(1)),
            new RateWindow("quota", 30, Duration.ofMinutes(10)))),
    /** The agent API and service (phone system) tokens. */
    AGENT("agent", List.of(new RateWindow("burst", 50, Duration.ofSeconds(1)))),
    /**
     * A shed customer polling their waiting-room ticket: a budget of its own, so polling while waiting never uses up
     * the reads the customer will want once admitted (a poll costs a ticket check, no back-office call).
     */
    POLL("poll", List.of(new RateWindow("burst", 10, Duration.ofSeconds(1)),
            new RateWindow("quota", 1200, Duration.ofMinutes(1)))),
    /** Anything else under {@code /api/}, keyed by client address when there is no valid token. */
    ANONYMOUS("anonymous", List.of(new RateWindow("burst", 10, Duration.ofSeconds(1)),
            new RateWindow("quota", 300, Duration.ofMinutes(1))));

    private final String key;
    private final List<RateWindow> defaults;

    RouteClass(String key, List<RateWindow> defaults) {
        this.key = key;
        this.defaults = defaults;
    }

    String key() {
        return key;
    }

    List<RateWindow> defaults() {
        return defaults;
    }

    /**
     * The class of an API request: the route's own for an escalation, else the caller's (the route's for a
     * customer).
     */
    static RouteClass of(Route route, Caller caller) {
        if (route.limit() == Route.Limit.ESCALATION) {
            return ESCALATION;
        }
        if (route.limit() == Route.Limit.POLL && caller.kind() == Caller.Kind.CUSTOMER) {
            return POLL;
        }
        return switch (caller.kind()) {
            case AGENT, SERVICE -> AGENT;
            case CUSTOMER -> route.limit() == Route.Limit.ACTION ? ACTION : READ;
            case ANONYMOUS -> ANONYMOUS;
        };
    }
}
