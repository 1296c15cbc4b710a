package dev.surge.gateway.escalation;

import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.queue.Escalation;

/**
 * Whose an escalation is: its customer's, or the phone system's that submitted it for a caller
 * ({@link Caller#actsForCustomers()}). Every read and write of the customer API checks it; anyone else gets 404.
 */
final class Ownership {

    private Ownership() {
    }

    /** The {@code createdBy} of escalations a phone system submits for someone else. */
    static String serviceRef(Caller caller) {
        return "service:" + caller.id();
    }

    /** Whether the caller may see the escalation: its customer, or the service that submitted it. */
    static boolean owns(Caller caller, Escalation escalation) {
        return caller.actsForCustomers() ? serviceRef(caller).equals(escalation.createdBy())
                : String.valueOf(caller.id()).equals(escalation.customerId());
    }

    /** The hash field the owner is checked against, for scripts that check it atomically. */
    static String field(Caller caller) {
        return caller.actsForCustomers() ? "createdBy" : "customerId";
    }

    static String value(Caller caller) {
        return caller.actsForCustomers() ? serviceRef(caller) : String.valueOf(caller.id());
    }

    /** Idempotency keys are scoped to the caller, so two callers can never collide on a key. */
    static String idempotencyScope(Caller caller) {
        return (caller.actsForCustomers() ? "s:" : "c:") + caller.id();
    }
}
