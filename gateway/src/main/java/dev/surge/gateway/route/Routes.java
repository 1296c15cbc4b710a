package dev.surge.gateway.route;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

import static dev.surge.gateway.route.Route.Admission.BY_CALLER;
import static dev.surge.gateway.route.Route.Admission.RESERVED;
import static dev.surge.gateway.route.Route.Admission.UNCOUNTED;
import static dev.surge.gateway.route.Route.Area.AGENT;
import static dev.surge.gateway.route.Route.Area.ESCALATIONS;
import static dev.surge.gateway.route.Route.Area.INVENTORY;
import static dev.surge.gateway.route.Route.Area.ME;
import static dev.surge.gateway.route.Route.Area.OPS;
import static dev.surge.gateway.route.Route.Area.WAITING_ROOM;
import static dev.surge.gateway.route.Route.Limit.ACTION;
import static dev.surge.gateway.route.Route.Limit.ESCALATION;
import static dev.surge.gateway.route.Route.Limit.POLL;
import static dev.surge.gateway.route.Route.Limit.READ;

/**
 * The route table: every API endpoint, declared once with what the filters need to know of it. A new endpoint is one
 * entry here (and its controller mapping); rate limits, admission, the journey, the fast path and Spring Security's
 * rules all read it. A request is resolved once ({@link #of}) and the route kept on the exchange; admission's early
 * shed, which answers before an exchange exists, resolves the request line itself ({@link #resolve}).
 *
 * <p>A request no entry declares (a 404 to be, or another method on a declared path) still gets a route, made up by
 * the rules the entries follow: its area by prefix, an action when it is not a read under {@code /api/v1/me}, not
 * counted by admission for event streams and the waiting room, reserved under the agent desk and escalations.
 */
public final class Routes {

    /** Exchange attribute holding the request's {@link Route}. */
    public static final String ATTRIBUTE = Route.class.getName();

    private static final String API = "/api/";
    private static final String V1 = "/api/v1/";
    private static final String OTHER = "/api/v1/{other}";
    private static final boolean RECORDED = true;
    private static final boolean CACHED = true;

    // The customer's own data (selfservice).
    public static final Route PROFILE = get("/api/v1/me", ME, RECORDED, CACHED);
    public static final Route ACCOUNT = get("/api/v1/me/account", ME, RECORDED, CACHED);
    public static final Route ORDERS = get("/api/v1/me/orders", ME, RECORDED, false);
    public static final Route ORDER = get("/api/v1/me/orders/{orderId}", ME, RECORDED, CACHED);
    public static final Route SHIPMENT = get("/api/v1/me/orders/{orderId}/shipment", ME, RECORDED, CACHED);
    public static final Route STOCK = get("/api/v1/inventory/{sku}", INVENTORY, RECORDED, false);
    public static final Route ORDER_ACTIONS = get("/api/v1/me/orders/{orderId}/actions", ME, RECORDED, false);
    public static final Route RETURNS = get("/api/v1/me/returns", ME, RECORDED, false);
    public static final Route RETURN = get("/api/v1/me/returns/{rma}", ME, RECORDED, false);
    public static final Route PREFERENCES = get("/api/v1/me/preferences", ME, RECORDED, false);

    // The customer's actions (actions): the action class, and recorded, failures included, for the hand-off.
    public static final Route RETURN_CREATE = action(HttpMethod.POST, "/api/v1/me/orders/{orderId}/returns");
    public static final Route CANCELLATION = action(HttpMethod.POST, "/api/v1/me/orders/{orderId}/cancellation");
    public static final Route DELIVERY_ADDRESS =
            action(HttpMethod.PUT, "/api/v1/me/orders/{orderId}/delivery-address");
    public static final Route PREFERENCES_REPLACE = action(HttpMethod.PUT, "/api/v1/me/preferences");

    // Escalations (escalation): the create is the one write every caller's escalation class limits.
    public static final Route ESCALATE = new Route(HttpMethod.POST, "/api/v1/escalations", ESCALATIONS, ESCALATION,
            RESERVED, false, null, false);
    public static final Route ESCALATION_READ = reserved(HttpMethod.GET, "/api/v1/escalations/{id}", ESCALATIONS);
    public static final Route ESCALATION_ABANDON =
            reserved(HttpMethod.DELETE, "/api/v1/escalations/{id}", ESCALATIONS);
    public static final Route ESCALATION_RESCHEDULE =
            reserved(HttpMethod.PATCH, "/api/v1/escalations/{id}", ESCALATIONS);
    public static final Route ESCALATION_EVENTS = stream("/api/v1/escalations/{id}/events", ESCALATIONS, null);

    // The conversation on an escalation (conversation), for its customer side and for the agent holding it.
    public static final Route CONVERSATION =
            reserved(HttpMethod.GET, "/api/v1/escalations/{id}/messages", ESCALATIONS);
    public static final Route CONVERSATION_SEND =
            reserved(HttpMethod.POST, "/api/v1/escalations/{id}/messages", ESCALATIONS);
    public static final Route CONVERSATION_EVENTS =
            stream("/api/v1/escalations/{id}/messages/events", ESCALATIONS, null);
    public static final Route AGENT_CONVERSATION =
            reserved(HttpMethod.GET, "/api/v1/agent/escalations/{id}/messages", AGENT);
    public static final Route AGENT_CONVERSATION_SEND =
            reserved(HttpMethod.POST, "/api/v1/agent/escalations/{id}/messages", AGENT);
    public static final Route AGENT_CONVERSATION_EVENTS =
            stream("/api/v1/agent/escalations/{id}/messages/events", AGENT, null);

    // The agent desk (agent).
    public static final Route AGENT_CLAIM = reserved(HttpMethod.POST, "/api/v1/agent/escalations/claim", AGENT);
    public static final Route AGENT_ACCEPT =
            reserved(HttpMethod.POST, "/api/v1/agent/escalations/{id}/accept", AGENT);
    public static final Route AGENT_DECLINE =
            reserved(HttpMethod.POST, "/api/v1/agent/escalations/{id}/decline", AGENT);
    public static final Route AGENT_TRANSFER =
            reserved(HttpMethod.POST, "/api/v1/agent/escalations/{id}/transfer", AGENT);
    public static final Route AGENT_RESOLVE =
            reserved(HttpMethod.POST, "/api/v1/agent/escalations/{id}/resolve", AGENT);
    public static final Route AGENT_ESCALATION = reserved(HttpMethod.GET, "/api/v1/agent/escalations/{id}", AGENT);
    // Actions for the customer of the escalation the agent holds (actions); the customer's journey records them.
    public static final Route AGENT_RETURN =
            reserved(HttpMethod.POST, "/api/v1/agent/escalations/{id}/returns", AGENT);
    public static final Route AGENT_CANCELLATION =
            reserved(HttpMethod.POST, "/api/v1/agent/escalations/{id}/cancellation", AGENT);
    public static final Route AGENT_DELIVERY_ADDRESS =
            reserved(HttpMethod.PUT, "/api/v1/agent/escalations/{id}/delivery-address", AGENT);
    public static final Route AGENT_HEARTBEAT = reserved(HttpMethod.POST, "/api/v1/agent/heartbeat", AGENT);
    public static final Route AGENT_QUEUES = reserved(HttpMethod.GET, "/api/v1/agent/queues", AGENT);
    public static final Route AGENT_QUEUE_EVENTS = stream("/api/v1/agent/queues/events", AGENT, null);

    // Operations (contact): fleet-wide figures, admitted like the agent desk, never in a journey.
    public static final Route OPS_SUMMARY = reserved(HttpMethod.GET, "/api/v1/ops/summary", OPS);

    // The waiting room (admission).
    public static final Route WAITING_ROOM_PLACE = stream("/api/v1/waiting-room/{ticket}", WAITING_ROOM, OTHER);
    public static final Route WAITING_ROOM_EVENTS =
            stream("/api/v1/waiting-room/{ticket}/events", WAITING_ROOM, OTHER);

    /** Every declared route, matched in this order. */
    static final List<Route> ALL = List.of(PROFILE, ACCOUNT, ORDERS, ORDER, SHIPMENT, STOCK, ORDER_ACTIONS, RETURNS,
            RETURN, PREFERENCES, RETURN_CREATE, CANCELLATION, DELIVERY_ADDRESS, PREFERENCES_REPLACE,
            ESCALATE, ESCALATION_READ, ESCALATION_ABANDON, ESCALATION_RESCHEDULE, ESCALATION_EVENTS,
            CONVERSATION, CONVERSATION_SEND, CONVERSATION_EVENTS, AGENT_CONVERSATION, AGENT_CONVERSATION_SEND,
            AGENT_CONVERSATION_EVENTS,
            AGENT_CLAIM, AGENT_ACCEPT, AGENT_DECLINE, AGENT_TRANSFER, AGENT_RESOLVE, AGENT_ESCALATION, AGENT_RETURN,
            AGENT_CANCELLATION, AGENT_DELIVERY_ADDRESS, AGENT_HEARTBEAT, AGENT_QUEUES, AGENT_QUEUE_EVENTS,
            OPS_SUMMARY, WAITING_ROOM_PLACE, WAITING_ROOM_EVENTS);

    private Routes() {
    }

    /** Every declared route, in the table's order: for what describes the API (the OpenAPI document, its test). */
    public static List<Route> all() {
        return ALL;
    }

    private static Route get(String template, Route.Area area, boolean recorded, boolean cached) {
        return new Route(HttpMethod.GET, template, area, READ, BY_CALLER, true, recorded ? template : null, cached);
    }

    private static Route action(HttpMethod method, String template) {
        return new Route(method, template, ME, ACTION, BY_CALLER, false, template, false);
    }

    private static Route reserved(HttpMethod method, String template, Route.Area area) {
        boolean read = method == HttpMethod.GET;
        return new Route(method, template, area, READ, RESERVED, read, null, false);
    }

    private static Route stream(String template, Route.Area area, @Nullable String journey) {
        return new Route(HttpMethod.GET, template, area, area == WAITING_ROOM ? POLL : READ, UNCOUNTED, true,
                journey, false);
    }

    /** The exchange's route, resolved on first use and kept on the exchange. */
    public static Route of(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ATTRIBUTE);
        if (route == null) {
            route = resolve(exchange.getRequest().getMethod(), exchange.getRequest().getPath().value());
            exchange.getAttributes().put(ATTRIBUTE, route);
        }
        return route;
    }

    /** The route of a request: a declared one, one made up by the table's rules, or {@link Route#NONE}. */
    public static Route resolve(HttpMethod method, String path) {
        if (!path.startsWith(API)) {
            return Route.NONE;
        }
        Route sibling = null;
        for (Route route : ALL) {
            if (RouteTemplate.matches(route.template(), path)) {
                if (route.method() == method) {
                    return route;
                }
                if (sibling == null) {
                    sibling = route;
                }
            }
        }
        return madeUp(method, path, sibling);
    }

    private static Route madeUp(HttpMethod method, String path, @Nullable Route sibling) {
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
        Route.Area area = area(method, path);
        Route.Limit limit = read || area != ME ? READ : ACTION;
        Route.Admission admission = path.endsWith("/events") || area == WAITING_ROOM ? UNCOUNTED
                : path.startsWith("/api/v1/agent/") || path.startsWith("/api/v1/escalations") || area == OPS ? RESERVED
                : BY_CALLER;
        return new Route(null, path, area, limit, admission, read, journeyOf(path, sibling), false);
    }

    private static Route.Area area(HttpMethod method, String path) {
        for (Route.Area area : Route.Area.values()) {
            if (area.method() != null && area.method() != method) {
                continue;
            }
            for (String pattern : area.patterns()) {
                if (RouteTemplate.matchesPattern(pattern, path)) {
                    return area;
                }
            }
        }
        return Route.Area.API;
    }

    /** The journey template of a path that is not a declared route's; null when the journey does not record it. */
    private static @Nullable String journeyOf(String path, @Nullable Route sibling) {
        if (!path.startsWith(V1) || path.startsWith("/api/v1/escalations") || path.startsWith("/api/v1/agent")
                || path.startsWith("/api/v1/ops")) {
            return null;
        }
        return sibling != null && sibling.journey() != null ? sibling.journey() : OTHER;
    }

    /**
     * The journey template of a path as it was recorded (any method): a declared route's, else {@code {other}}.
     * For entries written after the request, when only the path was kept.
     */
    public static String journeyTemplate(String path) {
        for (Route route : ALL) {
            if (route.journey() != null && RouteTemplate.matches(route.template(), path)) {
                return route.journey();
            }
        }
        return OTHER;
    }

    /** The value of a {@code {name}} segment of the route's template in this path, or null when it has none. */
    public static @Nullable String variable(Route route, String path, String name) {
        return RouteTemplate.variable(route.template(), path, name);
    }

    /** The order id of a path recorded under a declared route with {@code {orderId}}, or null. */
    public static @Nullable String orderId(String path) {
        for (Route route : ALL) {
            if (route.journey() != null && RouteTemplate.matches(route.template(), path)) {
                return RouteTemplate.variable(route.template(), path, "orderId");
            }
        }
        return null;
    }
}
