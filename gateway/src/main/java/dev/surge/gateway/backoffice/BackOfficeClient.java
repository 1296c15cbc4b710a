package dev.surge.gateway.backoffice;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Reads from and writes to the back office ({@code docs/backoffice-api.md}). Every method fails with
 * {@link BackOfficeException}: not found (404), unavailable (502) or timed out (504), or refused without a call (503:
 * circuit open, bulkhead full) by {@link BackOfficeResilience}. Lookups scoped by customer answer not found for another
 * customer's data, exactly as for missing data.
 * <p>
 * Writes are made once, never retried here, and carry the caller's {@code idempotencyKey} to the back office, which
 * answers a repeat of the same request with its first answer and applies it once: a caller that lost the answer
 * (kind {@link BackOfficeException.Kind#OUTCOME_UNKNOWN}) retries with the same key. A write can also fail with kind
 * {@link BackOfficeException.Kind#REFUSED}: the back office's documented 400/409/412/422/428 problem, in
 * {@link BackOfficeException#problem()}.
 */
public interface BackOfficeClient {

    /** The header that carries a write's idempotency key to the back office. */
    String IDEMPOTENCY_KEY = "Idempotency-Key";

    Mono<CustomerProfile> customer(String customerId);

    Mono<Account> account(String customerId);

    /** One page of the customer's orders, newest first, starting after the order {@code after} (null: first page). */
    Mono<OrderPage> orders(String customerId, @Nullable String after, int limit);

    Mono<Order> order(String customerId, String orderId);

    /** The shipment of an order. Callers check that the order is the customer's first. */
    Mono<Shipment> shipment(String orderId);

    Mono<StockLevel> stock(String sku);

    /** What the order allows now (returns, cancellation, address change) and until when. Dependency orders, a read. */
    Mono<OrderActions> orderActions(String customerId, String orderId);

    /** Returns lines of a delivered order: the authorisation (RMA) with label, refund and ship-by date. Returns, a write. */
    Mono<ReturnAuthorization> createReturn(String customerId, String orderId, ReturnRequest request,
                                           String idempotencyKey);

    /** The customer's returns, newest first. Dependency returns, a read. */
    Mono<ReturnList> returns(String customerId);

    /** One of the customer's returns by its RMA number. Dependency returns, a read. */
    Mono<ReturnAuthorization> returnAuthorization(String customerId, String rma);

    /** Cancels an order that has not shipped, or some of its lines. Dependency orders, a write. */
    Mono<Cancellation> cancelOrder(String customerId, String orderId, CancellationRequest request,
                                   String idempotencyKey);

    /** Sends an order that has not shipped to another address. Dependency orders, a write. */
    Mono<AddressChange> changeDeliveryAddress(String customerId, String orderId, Address address,
                                              String idempotencyKey);

    /** The customer's contact preferences and their version (ETag). Dependency customers, a read. */
    Mono<Versioned<ContactPreferences>> contactPreferences(String customerId);

    /**
     * Replaces the contact preferences if their version is still {@code ifMatch} (an ETag read before), else refused
     * with 412. Answers the new preferences and version. Dependency customers, a write.
     */
    Mono<Versioned<ContactPreferences>> replaceContactPreferences(String customerId, ContactPreferences preferences,
                                                                  String ifMatch, String idempotencyKey);
}
