/**
 * Escalation to a person, the customer side: the API ({@code /api/v1/escalations}, with Idempotency-Key and SSE),
 * the intake that assembles the hand-off context and puts the escalation in the {@code queue}, and the local spool
 * that keeps accepted escalations while Redis is away.
 */
@NullMarked
package dev.surge.gateway.escalation;

import org.jspecify.annotations.NullMarked;
