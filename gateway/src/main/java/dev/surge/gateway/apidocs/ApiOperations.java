package dev.surge.gateway.apidocs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.Account;
import dev.surge.gateway.backoffice.AddressChange;
import dev.surge.gateway.backoffice.Cancellation;
import dev.surge.gateway.backoffice.ContactPreferences;
import dev.surge.gateway.backoffice.CustomerProfile;
import dev.surge.gateway.backoffice.Order;
import dev.surge.gateway.backoffice.OrderActions;
import dev.surge.gateway.backoffice.OrderSummary;
import dev.surge.gateway.backoffice.ReturnAuthorization;
import dev.surge.gateway.backoffice.ReturnList;
import dev.surge.gateway.backoffice.Shipment;
import dev.surge.gateway.backoffice.StockLevel;
import dev.surge.gateway.route.Route;
import dev.surge.gateway.route.Routes;

/**
 * What the OpenAPI document says of each declared route beyond what springdoc reads from the controllers: a summary,
 * the success answer's type where the controller answers with encoded bytes (the cached reads, the actions), the
 * request body where the controller checks a JSON tree by hand, and the problem answers the route can give.
 *
 * <p>Problems every API route can give are added by rule from the route table ({@link #problems}): 400 (the
 * firewall), 401 (a missing or invalid token), 403 (an area for some roles only), 413 (a body over the limit),
 * 429 (rate limits), 503 (admission, a refused back-office call, Redis away). The entries name the rest.
 */
final class ApiOperations {

    static final String CUSTOMER = "customer";
    static final String ESCALATIONS = "escalations";
    static final String AGENT = "agent";
    static final String WAITING_ROOM = "waiting-room";
    static final String OPS = "ops";

    /**
     * @param tag the part of the API (customer, escalations, agent, waiting room)
     * @param summary one line
     * @param status the success status
     * @param response the success body's type when the controller's signature does not tell it (encoded bytes);
     *                 null to keep what springdoc reads from the signature
     * @param body the request body's schema (a name in {@link Schemas}) when the controller reads raw JSON; else null
     * @param problems the statuses beyond those every route can give
     */
    record Doc(String tag, String summary, int status, @Nullable Class<?> response, @Nullable String body,
               List<Integer> problems) {
    }

    private static final List<Integer> BACK_OFFICE_READ = List.of(404, 502, 504);
    private static final List<Integer> WRITE = List.of(404, 409, 412, 422, 428, 502, 504);
    private static final List<Integer> AGENT_WRITE = List.of(404, 409, 412, 422, 502, 504);
    private static final List<Integer> ESCALATION = List.of(404, 409);

    private static final Map<Route, Doc> DOCS = new HashMap<>();

    static {
        customer(Routes.PROFILE, "The customer's profile.", CustomerProfile.class, BACK_OFFICE_READ);
        customer(Routes.ACCOUNT, "The customer's account: balance and credit.", Account.class, BACK_OFFICE_READ);
        customer(Routes.ORDERS, "The customer's orders, newest first, a page at a time (cursor).", OrderPage.class,
                BACK_OFFICE_READ);
        customer(Routes.ORDER, "One of the customer's orders.", Order.class, BACK_OFFICE_READ);
        customer(Routes.SHIPMENT, "The shipment of one of the customer's orders.", Shipment.class, BACK_OFFICE_READ);
        customer(Routes.STOCK, "Stock of one product across warehouses (public).", StockLevel.class,
                BACK_OFFICE_READ);
        customer(Routes.ORDER_ACTIONS, "What the order allows now and until when, each with the reason when not.",
                OrderActions.class, BACK_OFFICE_READ);
        customer(Routes.RETURNS, "The customer's returns.", ReturnList.class, BACK_OFFICE_READ);
        customer(Routes.RETURN, "One of the customer's returns by its RMA number.", ReturnAuthorization.class,
                BACK_OFFICE_READ);
        customer(Routes.PREFERENCES, "The customer's contact preferences, with their ETag for a later If-Match.",
                null, BACK_OFFICE_READ);
        put(Routes.RETURN_CREATE, new Doc(CUSTOMER, "Return lines of an order (Idempotency-Key required).", 201,
                ReturnAuthorization.class, Schemas.RETURN_REQUEST, WRITE));
        put(Routes.CANCELLATION, new Doc(CUSTOMER, "Cancel an order, or some of its lines (Idempotency-Key "
                + "required).", 200, Cancellation.class, Schemas.CANCELLATION_REQUEST, WRITE));
        put(Routes.DELIVERY_ADDRESS, new Doc(CUSTOMER, "Change an order's delivery address (a PUT: without an "
                + "Idempotency-Key, the same body is the same change).", 200, AddressChange.class, Schemas.ADDRESS,
                WRITE));
        put(Routes.PREFERENCES_REPLACE, new Doc(CUSTOMER, "Replace the contact preferences (If-Match and "
                + "Idempotency-Key required).", 200, ContactPreferences.class, Schemas.PREFERENCES, WRITE));

        put(Routes.ESCALATE, new Doc(ESCALATIONS, "Ask for a person: the escalation is queued with the hand-off "
                + "(Idempotency-Key required); phone systems escalate on a customer's behalf.", 202, null,
                Schemas.ESCALATION_REQUEST, List.of(409, 422)));
        put(Routes.ESCALATION_READ, new Doc(ESCALATIONS, "An escalation: status, place in the queue, estimated wait.",
                200, null, null, ESCALATION));
        put(Routes.ESCALATION_ABANDON, new Doc(ESCALATIONS, "Leave the queue.", 204, null, null, ESCALATION));
        put(Routes.ESCALATION_RESCHEDULE, new Doc(ESCALATIONS, "Change a waiting escalation's callback window.", 200,
                null, Schemas.RESCHEDULE, ESCALATION));
        put(Routes.ESCALATION_EVENTS, new Doc(ESCALATIONS, "Server-sent events: the escalation as it changes.", 200,
                null, null, List.of(404)));

        List<Integer> conversation = List.of(404, 409);
        put(Routes.CONVERSATION, new Doc(ESCALATIONS, "The conversation on the escalation so far (after= an entry id "
                + "to read on from).", 200, null, null, conversation));
        put(Routes.CONVERSATION_SEND, new Doc(ESCALATIONS, "Send the agent a text message (bounded size and rate).",
                201, null, Schemas.MESSAGE, List.of(404, 409, 429)));
        put(Routes.CONVERSATION_EVENTS, new Doc(ESCALATIONS, "Server-sent events: messages and the agent joining, "
                + "transferring, resolving; resumes after Last-Event-ID.", 200, null, null, List.of(404)));
        agent(Routes.AGENT_CONVERSATION, "The conversation on the escalation the agent holds.", conversation);
        put(Routes.AGENT_CONVERSATION_SEND, new Doc(AGENT, "Send the customer a text message (bounded size and rate).",
                201, null, Schemas.MESSAGE, List.of(404, 409, 429)));
        agent(Routes.AGENT_CONVERSATION_EVENTS, "Server-sent events: the conversation as it goes; resumes after "
                + "Last-Event-ID.", List.of(404));

        agent(Routes.AGENT_CLAIM, "Claim the next escalation of the agent's skills (a reservation to accept).",
                List.of(409));
        agent(Routes.AGENT_ACCEPT, "Accept the reserved escalation.", ESCALATION);
        agent(Routes.AGENT_DECLINE, "Decline the reserved escalation: it goes back to the queue.", ESCALATION);
        agent(Routes.AGENT_TRANSFER, "Transfer the escalation to another skill's queue.", ESCALATION);
        agent(Routes.AGENT_RESOLVE, "Resolve the escalation with a disposition.", ESCALATION);
        agent(Routes.AGENT_ESCALATION, "An escalation with its hand-off (the customer's journey and data).",
                List.of(404));
        put(Routes.AGENT_RETURN, new Doc(AGENT, "Return lines of an order for the customer of the escalation the "
                + "agent holds (Idempotency-Key required).", 201, ReturnAuthorization.class,
                Schemas.AGENT_RETURN_REQUEST, AGENT_WRITE));
        put(Routes.AGENT_CANCELLATION, new Doc(AGENT, "Cancel an order for the customer of the escalation the agent "
                + "holds (Idempotency-Key required).", 200, Cancellation.class, Schemas.AGENT_CANCELLATION_REQUEST,
                AGENT_WRITE));
        put(Routes.AGENT_DELIVERY_ADDRESS, new Doc(AGENT, "Change an order's delivery address for the customer of "
                + "the escalation the agent holds (Idempotency-Key required).", 200, AddressChange.class,
                Schemas.AGENT_ADDRESS, AGENT_WRITE));
        agent(Routes.AGENT_HEARTBEAT, "The agent is at the desk (presence for the queue's figures).", List.of());
        agent(Routes.AGENT_QUEUES, "Every queue's figures: waiting, oldest wait, agents present.", List.of());
        agent(Routes.AGENT_QUEUE_EVENTS, "Server-sent events: the queues' figures as they change.", List.of());

        put(Routes.OPS_SUMMARY, new Doc(OPS, "Fleet-wide contact figures over a window (window=15m, 1h or 24h; "
                + "default 15m): self-service containment, escalations and where self-service failed, queue service "
                + "level, protection (docs/metrics.md). Role ops.", 200, null, null, List.of()));

        put(Routes.WAITING_ROOM_PLACE, new Doc(WAITING_ROOM, "A shed customer's place in the waiting room.", 200,
                null, null, List.of()));
        put(Routes.WAITING_ROOM_EVENTS, new Doc(WAITING_ROOM, "Server-sent events: the place as it moves.", 200,
                null, null, List.of()));
    }

    private ApiOperations() {
    }

    /** The description of a declared route; every route in {@link Routes#all()} has one. */
    static Doc of(Route route) {
        Doc doc = DOCS.get(route);
        if (doc == null) {
            throw new IllegalStateException("No API description for " + route.method() + " " + route.template()
                    + ": add one to ApiOperations");
        }
        return doc;
    }

    /** Every problem status the route can answer with, sorted. */
    static List<Integer> problems(Route route) {
        Doc doc = of(route);
        TreeSet<Integer> all = new TreeSet<>(doc.problems());
        all.add(400);
        all.add(401);
        all.add(429);
        all.add(503);
        if (route.area().access() != Route.Access.PUBLIC && route.area().access() != Route.Access.AUTHENTICATED) {
            all.add(403);
        }
        if (doc.body() != null) {
            all.add(413);
        }
        return new ArrayList<>(all);
    }

    private static void customer(Route route, String summary, @Nullable Class<?> response, List<Integer> problems) {
        put(route, new Doc(CUSTOMER, summary, 200, response, null, problems));
    }

    private static void agent(Route route, String summary, List<Integer> problems) {
        put(route, new Doc(AGENT, summary, route == Routes.AGENT_HEARTBEAT ? 204 : 200, null, null, problems));
    }

    private static void put(Route route, Doc doc) {
        DOCS.put(route, doc);
    }

    /** The orders page as the customer API answers it (the controller encodes it to bytes). */
    record OrderPage(List<OrderSummary> orders, @Nullable String nextCursor) {
    }
}
