package dev.surge.gateway.backoffice;

import java.math.BigDecimal;

/** One line of an order. */
public record OrderLine(String sku, String description, int quantity, BigDecimal unitPrice) {
}
