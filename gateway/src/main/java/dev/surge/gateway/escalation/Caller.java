package dev.surge.gateway.escalation;

import org.springframework.security.oauth2.jwt.Jwt;

import dev.surge.gateway.security.SurgeRoles;
import dev.surge.gateway.security.VerifiedTokens;

/**
 * Who calls the customer API: a customer (the token's subject is their id) or a phone system with a service token
 * (the subject is the service's id; it names the customer in the body).
 */
record Caller(String subject, boolean service) {

    static Caller of(Jwt token) {
        return new Caller(token.getSubject(), VerifiedTokens.hasRole(token, SurgeRoles.SERVICE)
                && !VerifiedTokens.hasRole(token, SurgeRoles.CUSTOMER));
    }

    /** The {@code createdBy} of escalations this caller submits for someone else, or null for customers. */
    String serviceRef() {
        return "service:" + subject;
    }

    /** Whether this caller may see the escalation: its customer, or the service that submitted it. */
    boolean owns(Escalation escalation) {
        return service ? serviceRef().equals(escalation.createdBy()) : subject.equals(escalation.customerId());
    }

    /** The hash field and value the owner is checked against, for scripts that check it atomically. */
    String ownerField() {
        return service ? "createdBy" : "customerId";
    }

    String ownerValue() {
        return service ? serviceRef() : subject;
    }

    /** Idempotency keys are scoped to the caller, so two callers can never collide on a key. */
    String idempotencyScope() {
        return (service ? "s:" : "c:") + subject;
    }
}
