package dev.surge.gateway.demo;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.Address;

/**
 * What customers changed about one order, laid over the generated order: quantities cancelled and returned per SKU,
 * when it was cancelled whole or returned whole, and the delivery address that replaced the generated one.
 */
record OrderChange(Map<String, Integer> cancelled, Map<String, Integer> returned, @Nullable Instant cancelledAt,
                   @Nullable Instant returnedAt, @Nullable Address address) {

    static final OrderChange NONE = new OrderChange(Map.of(), Map.of(), null, null, null);

    OrderChange {
        cancelled = Map.copyOf(cancelled);
        returned = Map.copyOf(returned);
    }

    int cancelled(String sku) {
        return cancelled.getOrDefault(sku, 0);
    }

    int returned(String sku) {
        return returned.getOrDefault(sku, 0);
    }

    OrderChange cancel(String sku, int quantity) {
        return new OrderChange(plus(cancelled, sku, quantity), returned, cancelledAt, returnedAt, address);
    }

    OrderChange returnQuantity(String sku, int quantity) {
        return new OrderChange(cancelled, plus(returned, sku, quantity), cancelledAt, returnedAt, address);
    }

    OrderChange cancelledWhole(Instant at) {
        return new OrderChange(cancelled, returned, at, returnedAt, address);
    }

    OrderChange returnedWhole(Instant at) {
        return new OrderChange(cancelled, returned, cancelledAt, at, address);
    }

    OrderChange withAddress(Address newAddress) {
        return new OrderChange(cancelled, returned, cancelledAt, returnedAt, newAddress);
    }

    private static Map<String, Integer> plus(Map<String, Integer> counts, String sku, int quantity) {
        Map<String, Integer> next = new HashMap<>(counts);
        next.merge(sku, quantity, Integer::sum);
        return next;
    }
}
