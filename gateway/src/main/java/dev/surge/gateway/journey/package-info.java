/**
 * Each customer's recent self-service steps, recorded on the request path without touching Redis and written in
 * batches, so the agent who takes an escalation sees what the customer tried and what failed for them
 * ({@link dev.surge.gateway.journey.Journeys}).
 */
@NullMarked
package dev.surge.gateway.journey;

import org.jspecify.annotations.NullMarked;
