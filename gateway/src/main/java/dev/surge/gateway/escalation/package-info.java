/**
 * Escalation to a person: the customer API ({@code /api/v1/escalations}, with Idempotency-Key, hand-off context and
 * SSE), the journey recorded on the request path, and the agent queues in Redis (one per skill, tier priority with
 * aging, reservations in a stream's pending list) that the {@code agent} package works from; a local spool keeps
 * accepted escalations while Redis is away.
 */
@NullMarked
package dev.surge.gateway.escalation;

import org.jspecify.annotations.NullMarked;
