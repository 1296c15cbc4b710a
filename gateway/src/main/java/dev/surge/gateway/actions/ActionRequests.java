package dev.surge.gateway.actions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.surge.gateway.backoffice.Address;
import dev.surge.gateway.backoffice.CancellationRequest;
import dev.surge.gateway.backoffice.ContactPreferences;
import dev.surge.gateway.backoffice.LineQuantity;
import dev.surge.gateway.backoffice.ReturnReason;
import dev.surge.gateway.backoffice.ReturnRequest;
import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.core.SurgeException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bodies of the actions, checked before anything reaches the back office: a 400 problem
 * ({@code invalid-action}) names every invalid field at once. Only shapes are checked here; the rules (what is
 * returnable, which postal codes exist) are the back office's, and its refusals come back as problems of their own.
 */
final class ActionRequests {

    static final int MAX_LINES = 50;
    static final int MAX_QUANTITY = 999;
    static final int MAX_COMMENT = 500;
    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Map<String, ReturnReason> REASONS = Map.of("damaged", ReturnReason.DAMAGED,
            "defective", ReturnReason.DEFECTIVE, "wrong_item", ReturnReason.WRONG_ITEM,
            "not_as_described", ReturnReason.NOT_AS_DESCRIBED, "arrived_too_late", ReturnReason.ARRIVED_TOO_LATE,
            "no_longer_needed", ReturnReason.NO_LONGER_NEEDED, "other", ReturnReason.OTHER);

    private ActionRequests() {
    }

    /** {@code {"lines":[{"sku","quantity"}], "reason", "comment"?}}. */
    static ReturnRequest returnRequest(@Nullable JsonNode body) {
        List<Map<String, String>> errors = new ArrayList<>();
        JsonNode object = object(body);
        List<LineQuantity> lines = lines(object.get("lines"), true, errors);
        String reasonText = text(object, "reason", errors);
        ReturnReason reason = reasonText == null ? null : REASONS.get(reasonText);
        if (reason == null) {
            errors.add(error("reason", "reason is required, one of " + String.join(", ", REASONS.keySet().stream()
                    .sorted().toList()) + "."));
        }
        String comment = text(object, "comment", errors);
        if (comment != null && comment.length() > MAX_COMMENT) {
            errors.add(error("comment", "comment must be at most " + MAX_COMMENT + " characters."));
        }
        check(errors);
        return new ReturnRequest(lines, reason, comment);
    }

    /** {@code {"lines":[{"sku","quantity"}]}} for some lines, or no body / no lines for the whole order. */
    static CancellationRequest cancellation(@Nullable JsonNode body) {
        if (body == null || body.isNull() || body.isObject() && body.get("lines") == null) {
            return CancellationRequest.wholeOrder();
        }
        List<Map<String, String>> errors = new ArrayList<>();
        List<LineQuantity> lines = lines(object(body).get("lines"), false, errors);
        check(errors);
        return new CancellationRequest(lines);
    }

    /** {@code {"name","street","postalCode","city","country"}}: country as ISO 3166-1 alpha-2. */
    static Address address(@Nullable JsonNode body) {
        List<Map<String, String>> errors = new ArrayList<>();
        JsonNode object = object(body);
        String name = required(object, "name", 100, errors);
        String street = required(object, "street", 200, errors);
        String postalCode = required(object, "postalCode", 16, errors);
        String city = required(object, "city", 100, errors);
        String country = required(object, "country", 2, errors);
        if (country != null && !COUNTRY.matcher(country).matches()) {
            errors.add(error("country", "country must be an ISO 3166-1 alpha-2 code in capitals, such as DE."));
        }
        check(errors);
        return new Address(name, street, postalCode, city, country);
    }

    /** The contact preferences as the back office's record has them; 400 with the field when they do not fit. */
    static ContactPreferences preferences(@Nullable JsonNode body, JsonMapper json) {
        JsonNode object = object(body);
        List<Map<String, String>> errors = new ArrayList<>();
        for (String field : List.of("channels", "optIns", "language")) {
            if (object.get(field) == null || object.get(field).isNull()) {
                errors.add(error(field, field + " is required."));
            }
        }
        check(errors);
        try {
            return json.treeToValue(object, ContactPreferences.class);
        } catch (RuntimeException e) {
            throw invalid(List.of(error("", "The preferences do not have the documented shape: channels (list), "
                    + "optIns (orderUpdates, marketing, surveys), language, quietHours (start, end, timeZone).")));
        }
    }

    /** An order id named in an agent's action body. */
    static String orderId(@Nullable JsonNode body) {
        JsonNode object = object(body);
        List<Map<String, String>> errors = new ArrayList<>();
        String orderId = text(object, "orderId", errors);
        if (orderId == null || !ORDER_ID.matcher(orderId).matches()) {
            errors.add(error("orderId", "orderId is required: 1-64 letters, digits, '-' or '_'."));
        }
        check(errors);
        return orderId;
    }

    private static JsonNode object(@Nullable JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid(List.of(error("", "The body must be a JSON object.")));
        }
        return body;
    }

    private static List<LineQuantity> lines(@Nullable JsonNode node, boolean required,
                                            List<Map<String, String>> errors) {
        List<LineQuantity> lines = new ArrayList<>();
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(error("lines", "lines is required: at least one {sku, quantity}."));
            }
            return lines;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_LINES) {
            errors.add(error("lines", "lines must be a list of 1 to " + MAX_LINES + " {sku, quantity}."));
            return lines;
        }
        Set<String> skus = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode line = node.get(i);
            String field = "lines[" + i + "]";
            String sku = line.isObject() && line.get("sku") != null && line.get("sku").isString()
                    ? line.get("sku").asString() : null;
            JsonNode quantity = line.isObject() ? line.get("quantity") : null;
            if (sku == null || !SKU.matcher(sku).matches()) {
                errors.add(error(field + ".sku", "sku must be 1-64 letters, digits, '.', '-' or '_'."));
            } else if (!skus.add(sku)) {
                errors.add(error(field + ".sku", "Each sku may appear once."));
            }
            if (quantity == null || !quantity.isIntegralNumber() || quantity.asInt() < 1
                    || quantity.asInt() > MAX_QUANTITY) {
                errors.add(error(field + ".quantity", "quantity must be a whole number from 1 to " + MAX_QUANTITY
                        + "."));
            }
            if (sku != null && quantity != null && quantity.isIntegralNumber()) {
                lines.add(new LineQuantity(sku, quantity.asInt()));
            }
        }
        return lines;
    }

    private static @Nullable String required(JsonNode node, String name, int max, List<Map<String, String>> errors) {
        String value = text(node, name, errors);
        if (value == null || value.isBlank()) {
            errors.add(error(name, name + " is required."));
            return null;
        }
        if (value.length() > max) {
            errors.add(error(name, name + " must be at most " + max + " characters."));
        }
        return value.strip();
    }

    private static @Nullable String text(JsonNode node, String name, List<Map<String, String>> errors) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            errors.add(error(name, name + " must be a string."));
            return null;
        }
        return value.asString();
    }

    private static Map<String, String> error(String field, String detail) {
        return Map.of("field", field, "detail", detail);
    }

    private static void check(List<Map<String, String>> errors) {
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
    }

    private static SurgeException invalid(List<Map<String, String>> all) {
        // One entry per field: the first (most basic) complaint about it.
        Set<String> seen = new HashSet<>();
        List<Map<String, String>> errors = all.stream().filter(error -> seen.add(error.get("field"))).toList();
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.BAD_REQUEST, "invalid-action", "Bad Request",
                "The request is not valid; see errors for each field.");
        problem.setProperty("errors", errors);
        return new SurgeException(problem, null);
    }
}
