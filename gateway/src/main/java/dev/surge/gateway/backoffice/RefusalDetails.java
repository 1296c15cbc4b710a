package dev.surge.gateway.backoffice;

/**
 * Surge's own words for a refused write, by problem type: a back office's detail may name internal systems or be in
 * another language, so customers get these, and the back office's detail goes to logs and the journey.
 */
final class RefusalDetails {

    private RefusalDetails() {
    }

    static String detail(BackOfficeProblem problem) {
        Refusal refusal = problem.refusal();
        if (refusal != null) {
            return switch (refusal) {
                case ORDER_NOT_DELIVERED -> "This order has not been delivered yet, so it cannot be returned yet.";
                case ORDER_CANCELLED -> "This order was cancelled.";
                case ORDER_SHIPPED -> "This order has already shipped, so it can no longer be changed or cancelled.";
                case RETURN_WINDOW_CLOSED -> "The return window for this order has closed.";
                case FINAL_SALE -> "This item was sold as final sale and cannot be returned.";
                case NOTHING_LEFT -> "That is more than is left of this order line.";
            };
        }
        if (problem.type().equals(BackOfficeProblem.INVALID_REQUEST)) {
            return "The request is not valid; see errors for each field.";
        }
        if (problem.type().equals(BackOfficeProblem.VERSION_MISMATCH)) {
            return "This was changed meanwhile. Load it again, then make your change.";
        }
        if (problem.type().equals(BackOfficeProblem.PRECONDITION_REQUIRED)) {
            return "This change needs the version you read (If-Match).";
        }
        if (problem.type().equals(BackOfficeProblem.IDEMPOTENCY_KEY_REUSED)) {
            return "This Idempotency-Key was already used for a different request.";
        }
        return "The change was refused.";
    }
}
