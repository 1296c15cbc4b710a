package dev.surge.gateway.backoffice;

/** A quantity of one order line, named by its SKU (an order has at most one line per SKU). */
public record LineQuantity(String sku, int quantity) {
}
