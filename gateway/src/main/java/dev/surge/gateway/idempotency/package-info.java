/**
 * Idempotency-Key semantics for every write of the API (draft-ietf-httpapi-idempotency-key-header): the header's
 * syntax, 409 while a request with the key is in progress, 422 for the key reused with another request, and the
 * first answer again for a retry. Escalations store their key atomically with the escalation (the queue's enqueue
 * script); self-service actions, whose effect is in the back office, through {@link
 * dev.surge.gateway.idempotency.IdempotentWrites}.
 */
@NullMarked
package dev.surge.gateway.idempotency;

import org.jspecify.annotations.NullMarked;
