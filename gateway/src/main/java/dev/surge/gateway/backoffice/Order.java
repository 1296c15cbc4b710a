package dev.surge.gateway.backoffice;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order with its lines and status history (oldest change first), where it goes and how it was paid
 * ({@code paymentMethod} is a display text such as "Visa ending 4242", never card data).
 */
public record Order(String id, String customerId, Instant placedAt, OrderStatus status, BigDecimal total,
                    String currency, List<OrderLine> lines, List<StatusChange> history, Address deliveryAddress,
                    String paymentMethod) {
}
