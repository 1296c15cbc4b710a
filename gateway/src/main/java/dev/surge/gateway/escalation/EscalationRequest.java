package dev.surge.gateway.escalation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.surge.gateway.core.Hashes;
import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.queue.Escalation;
import dev.surge.gateway.queue.Skill;
import tools.jackson.databind.JsonNode;

/**
 * A checked {@code POST /api/v1/escalations} body. Checked by hand from the JSON tree rather than by binding, so that
 * one 400 lists every invalid field (type errors included) with a detail safe to show.
 *
 * @param customerId the token's subject for customers; the body's {@code customerId} for phone systems
 */
record EscalationRequest(Reason reason, @Nullable String orderId, @Nullable String message, String channel,
                         String customerId, Escalation.Contact contact) {

    static final int MAX_MESSAGE = 2000;
    /** How far ahead a callback window may end: a week, as far as call centers plan their shifts. */
    static final java.time.Duration MAX_CALLBACK_AHEAD = java.time.Duration.ofDays(7);
    private static final Set<String> CUSTOMER_CHANNELS = Set.of("web", "mobile");
    private static final String PHONE = "phone";
    /** Same shape as the self-service API's order ids, so nothing else reaches the back office. */
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern CUSTOMER_ID = Pattern.compile("c[1-9][0-9]{0,8}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    /** The request, or a 400 listing every invalid field. {@code now} bounds the callback window. */
    static EscalationRequest parse(@Nullable JsonNode body, Caller caller, Instant now) {
        List<Map<String, String>> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw invalid(List.of(error("", "The body must be a JSON object.")));
        }
        String reasonText = text(body, "reason", errors);
        Reason reason = null;
        if (reasonText == null) {
            errors.add(error("reason", "reason is required: order_problem, return, billing, delivery or other."));
        } else if ((reason = Reason.fromWire(reasonText)) == null) {
            errors.add(error("reason", "reason must be order_problem, return, billing, delivery or other."));
        }
        String orderId = text(body, "orderId", errors);
        if (orderId != null && !ORDER_ID.matcher(orderId).matches()) {
            errors.add(error("orderId", "orderId must be 1-64 letters, digits, '-' or '_'."));
        }
        String message = text(body, "message", errors);
        if (message != null && message.length() > MAX_MESSAGE) {
            errors.add(error("message", "message must be at most " + MAX_MESSAGE + " characters."));
        }
        String channel = text(body, "channel", errors);
        String customerId = text(body, "customerId", errors);
        if (caller.actsForCustomers()) {
            if (!PHONE.equals(channel)) {
                errors.add(error("channel", "Service tokens submit phone escalations: channel must be phone."));
            }
            if (customerId == null || !CUSTOMER_ID.matcher(customerId).matches()) {
                errors.add(error("customerId", "customerId of the caller is required and must look like c42."));
            }
        } else {
            if (channel == null || !CUSTOMER_CHANNELS.contains(channel)) {
                errors.add(error("channel", "channel must be web or mobile."));
            }
            if (customerId != null) {
                errors.add(error("customerId", "customerId is taken from your token; leave it out."));
            }
            customerId = java.util.Objects.requireNonNull(caller.id(), "a verified caller has an id");
        }
        Escalation.Contact contact = contact(body.get("contact"), now, errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return new EscalationRequest(reason, orderId, message, channel, customerId, contact);
    }

    /**
     * A callback's new window, from a {@code PATCH} body {@code {"contact": {"method":"callback",...}}}: validated
     * as at creation, and a callback it must stay (400 with every invalid field otherwise).
     */
    static Escalation.Contact rescheduled(@Nullable JsonNode body, Instant now) {
        List<Map<String, String>> errors = new ArrayList<>();
        if (body == null || !body.isObject() || body.get("contact") == null || !body.get("contact").isObject()) {
            throw invalid(List.of(error("contact", "contact is required: the callback's new phone and window.")));
        }
        Escalation.Contact contact = contact(body.get("contact"), now, errors);
        if (errors.isEmpty() && !contact.isCallback()) {
            errors.add(error("contact.method", "Only a callback can be moved: contact.method must be callback."));
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return contact;
    }

    private static Escalation.Contact contact(@Nullable JsonNode node, Instant now, List<Map<String, String>> errors) {
        if (node == null || node.isNull()) {
            return Escalation.Contact.chat();
        }
        if (!node.isObject()) {
            errors.add(error("contact", "contact must be an object."));
            return Escalation.Contact.chat();
        }
        String method = text(node, "method", errors, "contact.method");
        if (Escalation.Contact.CHAT.equals(method)) {
            return Escalation.Contact.chat();
        }
        if (!Escalation.Contact.CALLBACK.equals(method)) {
            errors.add(error("contact.method", "contact.method must be chat or callback."));
            return Escalation.Contact.chat();
        }
        String phone = text(node, "phone", errors, "contact.phone");
        if (phone == null || !E164.matcher(phone).matches()) {
            errors.add(error("contact.phone", "contact.phone is required for a callback, in E.164 form (+4930123456)."));
        }
        Instant start = instant(node, "windowStart", errors);
        Instant end = instant(node, "windowEnd", errors);
        if (start != null && end != null && (!end.isAfter(start) || !end.isAfter(now))) {
            errors.add(error("contact.windowEnd", "contact.windowEnd must be after windowStart and in the future."));
        }
        if (start != null && end != null && end.isAfter(now.plus(MAX_CALLBACK_AHEAD))) {
            errors.add(error("contact.windowEnd", "contact.windowEnd must be within the next 7 days."));
        }
        return new Escalation.Contact(Escalation.Contact.CALLBACK, phone, start, end);
    }

    private static @Nullable Instant instant(JsonNode node, String name, List<Map<String, String>> errors) {
        String field = "contact." + name;
        String value = text(node, name, errors, field);
        if (value == null) {
            errors.add(error(field, field + " is required for a callback (an ISO-8601 instant)."));
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            errors.add(error(field, field + " must be an ISO-8601 instant such as 2026-11-23T14:00:00Z."));
            return null;
        }
    }

    private static @Nullable String text(JsonNode node, String name, List<Map<String, String>> errors) {
        return text(node, name, errors, name);
    }

    private static @Nullable String text(JsonNode node, String name, List<Map<String, String>> errors, String field) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            errors.add(error(field, field + " must be a string."));
            return null;
        }
        return value.asString();
    }

    private static Map<String, String> error(String field, String detail) {
        return Map.of("field", field, "detail", detail);
    }

    private static SurgeException invalid(List<Map<String, String>> all) {
        // One entry per field: the first (most basic) complaint about it.
        Set<String> seen = new java.util.HashSet<>();
        List<Map<String, String>> errors = all.stream().filter(error -> seen.add(error.get("field"))).toList();
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.BAD_REQUEST, "invalid-escalation", "Bad Request",
                "The escalation is not valid; see errors for each field.");
        problem.setProperty("errors", errors);
        return new SurgeException(problem, null);
    }

    Skill skill() {
        return reason.skill();
    }

    /**
     * SHA-256 of the canonical request (the checked fields in a fixed order), so an Idempotency-Key retry with the same
     * content in another layout or key order counts as the same request.
     */
    String fingerprint() {
        String canonical = String.join("\u0000", reason.wire(), String.valueOf(orderId), String.valueOf(message),
                channel, customerId, contact.method(), String.valueOf(contact.phone()),
                String.valueOf(contact.windowStart()), String.valueOf(contact.windowEnd()));
        return Hashes.sha256(canonical);
    }
}
