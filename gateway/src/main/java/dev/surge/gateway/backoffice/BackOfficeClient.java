package dev.surge.gateway.backoffice;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Reads from the back office. Every method fails with {@link BackOfficeException}: not found (404), unavailable (502)
 * or timed out (504), or refused without a call (503: circuit open, bulkhead full) by {@link BackOfficeResilience}.
 * Lookups scoped by customer answer not found for another customer's data, exactly as for missing data.
 */
public interface BackOfficeClient {

    Mono<CustomerProfile> customer(String customerId);

    Mono<Account> account(String customerId);

    /** One page of the customer's orders, newest first, starting after the order {@code after} (null: first page). */
    Mono<OrderPage> orders(String customerId, @Nullable String after, int limit);

    Mono<Order> order(String customerId, String orderId);

    /** The shipment of an order. Callers check that the order is the customer's first. */
    Mono<Shipment> shipment(String orderId);

    Mono<StockLevel> stock(String sku);
}
