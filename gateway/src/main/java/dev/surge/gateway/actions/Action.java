package dev.surge.gateway.actions;

import java.util.Locale;

/**
 * The self-service actions, with what each needs wherever it is done: the escalation reason offered when it cannot
 * be done, and its name in metrics.
 */
enum Action {
    RETURN("return"),
    CANCELLATION("order_problem"),
    ADDRESS_CHANGE("delivery"),
    PREFERENCES("other");

    private final String escalationReason;

    Action(String escalationReason) {
        this.escalationReason = escalationReason;
    }

    /** The escalation reason (escalation API) that routes a failed action to the right skill. */
    String escalationReason() {
        return escalationReason;
    }

    /** Name in metrics and in agents' action history. */
    String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
