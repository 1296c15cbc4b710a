package dev.surge.gateway.backoffice;

import java.time.LocalDate;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** The shipment of an order, with the carrier's tracking events (oldest first). */
public record Shipment(String orderId, String carrier, String trackingNumber, ShipmentStatus status,
                       @Nullable LocalDate estimatedDelivery, List<TrackingEvent> events) {
}
