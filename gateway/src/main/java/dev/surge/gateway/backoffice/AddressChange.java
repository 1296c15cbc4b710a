package dev.surge.gateway.backoffice;

import java.time.Instant;

/** A delivery address change done: the address the order now goes to. */
public record AddressChange(String orderId, Address deliveryAddress, Instant at) {
}
