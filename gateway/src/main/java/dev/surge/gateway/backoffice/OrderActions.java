package dev.surge.gateway.backoffice;

import java.time.Instant;

/**
 * What an order allows at {@code asOf}: returns (per line, until the deadline), cancellation and a delivery address
 * change, each with the reason when not. Apps show only the buttons that will work; the back office still checks
 * every write against the same rules.
 */
public record OrderActions(String orderId, OrderStatus status, Instant asOf, String currency,
                           ReturnEligibility returns, ActionEligibility cancellation,
                           ActionEligibility addressChange) {
}
