/**
 * Keeps one failing or slow back-office dependency from hurting customers and the other dependencies: a circuit
 * breaker, a bulkhead and (for idempotent reads) a retry per dependency, wrapped around each call by the back-office
 * client, with breaker states in health details and metrics.
 */
@NullMarked
package dev.surge.gateway.resilience;

import org.jspecify.annotations.NullMarked;
