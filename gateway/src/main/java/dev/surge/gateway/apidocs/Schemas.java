package dev.surge.gateway.apidocs;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;

/**
 * The schemas the document writes by hand: the problem answer, and the request bodies the controllers check field by
 * field from the JSON tree (so that one 400 lists every invalid field), where no bound type exists to read them from.
 * Each mirrors the checks in {@code actions.ActionRequests} and {@code escalation.EscalationRequest}.
 */
final class Schemas {

    static final String PROBLEM = "Problem";
    static final String RETURN_REQUEST = "ReturnRequest";
    static final String CANCELLATION_REQUEST = "CancellationRequest";
    static final String ADDRESS = "DeliveryAddress";
    static final String PREFERENCES = "ContactPreferences";
    static final String ESCALATION_REQUEST = "EscalationRequest";
    static final String RESCHEDULE = "EscalationReschedule";
    static final String AGENT_RETURN_REQUEST = "AgentReturnRequest";
    static final String AGENT_CANCELLATION_REQUEST = "AgentCancellationRequest";
    static final String AGENT_ADDRESS = "AgentDeliveryAddress";
    static final String ESCALATION_CREATED = "EscalationCreated";
    static final String MESSAGE = "Message";

    private Schemas() {
    }

    /** RFC 9457 problem details, as {@code core.ProblemResponses} writes them. */
    static Schema<?> problem() {
        Schema<?> error = new ObjectSchema()
                .addProperty("field", new StringSchema().description("the field, dotted; empty for the whole body"))
                .addProperty("detail", new StringSchema());
        return new ObjectSchema()
                .description("RFC 9457 problem details (application/problem+json); never a stack trace.")
                .addProperty("type", new StringSchema().format("uri")
                        .description("https://surge.dev/problems/<slug>, the kind of problem"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema().description("safe to show to the caller"))
                .addProperty("instance", new StringSchema().format("uri-reference"))
                .addProperty("errors", new ArraySchema().items(error)
                        .description("every invalid field, on 400 answers to a body"))
                .required(List.of("type", "title", "status"));
    }

    static Map<String, Schema<?>> requestBodies() {
        Schema<?> lines = new ArraySchema().items(new ObjectSchema()
                .addProperty("sku", new StringSchema().pattern("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"))
                .addProperty("quantity", new IntegerSchema().minimum(java.math.BigDecimal.ONE))
                .required(List.of("sku", "quantity")));
        Schema<?> orderId = new StringSchema().pattern("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
        ObjectSchema returnRequest = new ObjectSchema();
        returnRequest.addProperty("lines", lines)
                .addProperty("reason", new StringSchema()._enum(List.of("arrived_too_late", "damaged", "defective",
                        "no_longer_needed", "not_as_described", "other", "wrong_item")))
                .addProperty("comment", new StringSchema())
                .required(List.of("lines", "reason"));
        ObjectSchema cancellation = new ObjectSchema();
        cancellation.description("No body, or no lines: the whole order.").addProperty("lines", lines);
        ObjectSchema address = new ObjectSchema();
        address.addProperty("name", new StringSchema().maxLength(100))
                .addProperty("street", new StringSchema().maxLength(200))
                .addProperty("postalCode", new StringSchema().maxLength(16))
                .addProperty("city", new StringSchema().maxLength(100))
                .addProperty("country", new StringSchema().pattern("[A-Z]{2}").description("ISO 3166-1 alpha-2"))
                .required(List.of("name", "street", "postalCode", "city", "country"));
        ObjectSchema preferences = new ObjectSchema();
        preferences.addProperty("channels", new ArraySchema().items(new StringSchema()))
                .addProperty("optIns", new ObjectSchema()
                        .addProperty("orderUpdates", new BooleanSchema())
                        .addProperty("marketing", new BooleanSchema())
                        .addProperty("surveys", new BooleanSchema()))
                .addProperty("language", new StringSchema())
                .addProperty("quietHours", new ObjectSchema()
                        .addProperty("start", new StringSchema())
                        .addProperty("end", new StringSchema())
                        .addProperty("timeZone", new StringSchema()))
                .required(List.of("channels", "optIns", "language"));
        Schema<?> contact = new ObjectSchema()
                .addProperty("method", new StringSchema()._enum(List.of("chat", "callback")))
                .addProperty("phone", new StringSchema().pattern("\\+[1-9][0-9]{6,14}")
                        .description("E.164, for a callback"))
                .addProperty("windowStart", new StringSchema().format("date-time"))
                .addProperty("windowEnd", new StringSchema().format("date-time")
                        .description("at most 7 days ahead"));
        ObjectSchema escalation = new ObjectSchema();
        escalation.addProperty("reason", new StringSchema()._enum(List.of("order_problem", "delivery", "return",
                        "billing", "other")))
                .addProperty("orderId", orderId)
                .addProperty("message", new StringSchema().maxLength(2000))
                .addProperty("channel", new StringSchema()._enum(List.of("web", "mobile", "phone"))
                        .description("phone for phone systems (service tokens), who also send customerId"))
                .addProperty("customerId", new StringSchema().pattern("c[1-9][0-9]{0,8}"))
                .addProperty("contact", contact)
                .required(List.of("reason"));
        ObjectSchema message = new ObjectSchema();
        message.description("A text message of the conversation on an escalation: text only, shown as typed.")
                .addProperty("text", new StringSchema().minLength(1).maxLength(2000))
                .required(List.of("text"));
        ObjectSchema reschedule = new ObjectSchema();
        reschedule.description("A callback window for a waiting escalation.").addProperty("contact", contact);
        ObjectSchema created = new ObjectSchema();
        created.addProperty("id", new StringSchema().format("uuid"))
                .addProperty("status", new StringSchema())
                .addProperty("position", new IntegerSchema())
                .addProperty("estimatedWaitSeconds", new IntegerSchema().format("int64"));
        return Map.ofEntries(Map.entry(RETURN_REQUEST, returnRequest), Map.entry(CANCELLATION_REQUEST, cancellation),
                Map.entry(ADDRESS, address), Map.entry(PREFERENCES, preferences),
                Map.entry(ESCALATION_REQUEST, escalation), Map.entry(RESCHEDULE, reschedule),
                Map.entry(AGENT_RETURN_REQUEST, withOrderId(returnRequest, orderId)),
                Map.entry(AGENT_CANCELLATION_REQUEST, withOrderId(cancellation, orderId)),
                Map.entry(AGENT_ADDRESS, withOrderId(address, orderId)),
                Map.entry(ESCALATION_CREATED, created), Map.entry(MESSAGE, message));
    }

    /** An agent's action names the order in its body: the customer's body plus {@code orderId}. */
    private static Schema<?> withOrderId(ObjectSchema customer, Schema<?> orderId) {
        ObjectSchema agent = new ObjectSchema();
        customer.getProperties().forEach(agent::addProperty);
        agent.addProperty("orderId", orderId);
        java.util.List<String> required = new java.util.ArrayList<>(List.of("orderId"));
        if (customer.getRequired() != null) {
            required.addAll(customer.getRequired());
        }
        return agent.required(required);
    }
}
