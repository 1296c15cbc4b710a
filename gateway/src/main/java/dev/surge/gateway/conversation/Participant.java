package dev.surge.gateway.conversation;

import java.util.Objects;

import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.queue.Escalation;
import dev.surge.gateway.queue.EscalationStatus;

/**
 * One side of a conversation, and the field of the escalation's record that says it belongs there: the customer
 * ({@code customerId}), the phone system that made it for a caller ({@code createdBy}), or the agent
 * ({@code agentId}). The scripts check the same field atomically.
 */
record Participant(String role, String field, String value) {

    static final String CUSTOMER = "customer";
    static final String AGENT = "agent";

    /** The customer side: the customer, or the phone system that submitted the escalation for a caller. */
    static Participant customerSide(Caller caller) {
        String id = Objects.requireNonNull(caller.id());
        return caller.actsForCustomers() ? new Participant(CUSTOMER, "createdBy", "service:" + id)
                : new Participant(CUSTOMER, "customerId", id);
    }

    static Participant agent(Caller caller) {
        return new Participant(AGENT, "agentId", Objects.requireNonNull(caller.id()));
    }

    /**
     * Whether this participant may read the escalation's conversation: its customer side at any time; an agent while
     * it is offered to or accepted by them (so the next agent reads what was said before a transfer).
     */
    boolean mayRead(Escalation escalation) {
        if (CUSTOMER.equals(role)) {
            return value.equals("createdBy".equals(field) ? escalation.createdBy() : escalation.customerId());
        }
        return value.equals(escalation.agentId()) && (escalation.status() == EscalationStatus.OFFERED
                || escalation.status() == EscalationStatus.ASSIGNED);
    }

    boolean isAgent() {
        return AGENT.equals(role);
    }
}
