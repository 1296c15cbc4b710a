package dev.surge.gateway.actions;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.identity.Tier;

/**
 * One action as business rules see it.
 *
 * @param type {@code return}, {@code cancellation}, {@code address-change} or {@code preferences}
 * @param outcome {@code done}, {@code refused}, {@code failed} or {@code unknown} (see {@code surge.actions})
 * @param reason why it was refused or failed: the problem's slug ({@code return-window-closed}, ...); null when done
 * @param value what it was worth when done: the refund of a return or a cancellation; null otherwise
 * @param agentId the agent who did it for the customer, or null
 */
public record ActionEvent(String type, String outcome, @Nullable String reason, String customerId, Tier tier,
                          String channel, @Nullable String orderId, @Nullable BigDecimal value,
                          @Nullable String agentId, Instant at) {
}
