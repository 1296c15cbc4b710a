package dev.surge.gateway.escalation;

import dev.surge.gateway.queue.Escalation;

/**
 * Told about every escalation accepted (stored in Redis or spooled), after the customer has their answer path
 * decided. Implementations must return at once and never fail: they run on the request's thread, and whatever they
 * do (such as business notifications) must not delay or break the escalation.
 */
public interface EscalationListener {

    void escalated(Escalation escalation);
}
