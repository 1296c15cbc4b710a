package dev.surge.gateway.backoffice;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A cancellation done: what was cancelled, the order's status and total after it ({@code cancelled} when nothing is
 * left), and the refund (zero when the order had not been paid yet).
 */
public record Cancellation(String orderId, OrderStatus status, List<LineQuantity> cancelled, BigDecimal total,
                           Refund refund, Instant at) {

    public Cancellation {
        cancelled = List.copyOf(cancelled);
    }
}
