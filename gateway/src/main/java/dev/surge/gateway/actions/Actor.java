package dev.surge.gateway.actions;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.core.Hashes;

/**
 * Who does an action: the customer themself, or an agent for the customer of the escalation they hold.
 *
 * @param customerId whose order or profile it is
 * @param agentId the agent acting for them, or null when it is the customer
 * @param escalationId the escalation the agent holds, or null
 * @param channel the channel the customer would escalate from ({@code web} or {@code mobile}); agents' actions are
 *                {@code agent}
 */
record Actor(String customerId, @Nullable String agentId, @Nullable String escalationId, String channel) {

    static Actor customer(String customerId, String channel) {
        return new Actor(customerId, null, null, channel);
    }

    static Actor agent(String customerId, String agentId, String escalationId) {
        return new Actor(customerId, agentId, escalationId, "agent");
    }

    boolean isAgent() {
        return agentId != null;
    }

    /**
     * The key passed on to the back office: derived from the caller's scope and key, so the same key sent by the
     * customer and by an agent for them stays two requests there too, and a retry still maps to the same one.
     */
    String backOfficeKey(String idempotencyKey) {
        return Hashes.sha256(idempotencyScope() + ":" + idempotencyKey);
    }

    /** Idempotency-Keys are scoped to who sends them: a customer's, an agent's. */
    String idempotencyScope() {
        return agentId != null ? "a:" + agentId : "c:" + customerId;
    }
}
