package dev.surge.gateway.backoffice;

import java.time.LocalDate;

import org.jspecify.annotations.Nullable;

/** Stock of one SKU in one warehouse; {@code restockDate} is set when none is available but more is expected. */
public record WarehouseStock(String warehouse, int available, @Nullable LocalDate restockDate) {
}
