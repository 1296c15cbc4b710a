package dev.surge.gateway.backoffice;

import java.util.List;

/** Availability of one SKU across warehouses. */
public record StockLevel(String sku, String name, int totalAvailable, List<WarehouseStock> warehouses) {
}
