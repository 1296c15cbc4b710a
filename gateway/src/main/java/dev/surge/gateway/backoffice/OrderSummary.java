package dev.surge.gateway.backoffice;

import java.math.BigDecimal;
import java.time.Instant;

/** An order as listed: enough to pick one, without lines or history. */
public record OrderSummary(String id, Instant placedAt, OrderStatus status, BigDecimal total, String currency,
                           int itemCount) {
}
