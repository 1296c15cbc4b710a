package dev.surge.gateway.backoffice;

import java.math.BigDecimal;

/** A line of a return: how many of the order line's item go back, and the refund for them. */
public record ReturnedLine(String sku, String description, int quantity, BigDecimal refund) {
}
