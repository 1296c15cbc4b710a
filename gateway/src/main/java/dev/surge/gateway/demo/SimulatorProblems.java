package dev.surge.gateway.demo;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.BackOfficeProblem;
import dev.surge.gateway.backoffice.FieldError;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulator's problem answers ({@code application/problem+json}), with the contract's stable types
 * ({@link BackOfficeProblem}, {@link dev.surge.gateway.backoffice.Refusal}): one place, so every endpoint refuses alike.
 */
final class SimulatorProblems {

    private static final JsonMapper PROBLEM_JSON = JsonMapper.builder().build();

    private SimulatorProblems() {
    }

    static Answer refusal(ActionRules.LineRefusal refusal) {
        String detail = switch (refusal.refusal()) {
            case ORDER_NOT_DELIVERED -> "The order has not been delivered.";
            case ORDER_CANCELLED -> "The order was cancelled.";
            case ORDER_SHIPPED -> "The order has shipped.";
            case RETURN_WINDOW_CLOSED -> "The return window of the order has closed.";
            case FINAL_SALE -> refusal.sku() + " was sold as final sale.";
            case NOTHING_LEFT -> "That is more of " + refusal.sku() + " than is left.";
        };
        int status = refusal.refusal().status();
        return problem(status, refusal.refusal().type(), status == 409 ? "Conflict" : "Unprocessable Content",
                detail, List.of(), refusal);
    }

    static Answer invalid(List<FieldError> errors) {
        // One complaint per field: the first, most basic one.
        Map<String, FieldError> first = new LinkedHashMap<>();
        errors.forEach(e -> first.putIfAbsent(e.field(), e));
        return problem(400, BackOfficeProblem.INVALID_REQUEST, "Bad Request",
                "The request is not valid; see errors for each field.", List.copyOf(first.values()), null);
    }

    static Answer notFound() {
        return problem(404, BackOfficeProblem.NOT_FOUND, "Not Found", "not found", List.of(), null);
    }

    static Answer problem(int status, URI type, String title, String detail, List<FieldError> errors,
                          ActionRules.@Nullable LineRefusal refusal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.toString());
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        if (refusal != null) {
            body.put("reason", WriteRequests.wireName(refusal.refusal()));
            if (refusal.sku() != null) {
                body.put("sku", refusal.sku());
            }
        }
        return new Answer(status, Map.of(), PROBLEM_JSON.writeValueAsBytes(body));
    }
}
