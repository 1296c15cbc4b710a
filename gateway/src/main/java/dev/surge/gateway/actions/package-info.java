/**
 * Self-service actions, the write side: returns, cancellations, delivery-address and contact-preference changes, by
 * customers and by agents for the customer of the escalation they hold; done once per Idempotency-Key, read back at
 * once on every instance, and, when self-service cannot do it, answered with a prefilled escalation.
 */
@NullMarked
package dev.surge.gateway.actions;

import org.jspecify.annotations.NullMarked;
