package dev.surge.gateway.selfservice;

import java.time.Clock;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.cache.CacheKey;
import dev.surge.gateway.cache.CachedResource;
import dev.surge.gateway.cache.JsonBodies;
import dev.surge.gateway.cache.ResponseCache;
import dev.surge.gateway.cache.Served;
import dev.surge.gateway.core.SurgeException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A customer's one-of-a-kind reads (profile, account) and their orders and shipments, through the response cache,
 * as the self-service API answers them: the cache key always carries the customer, and an order that is not theirs
 * answers 404 exactly like a missing one. The API, its fast path and the escalation hand-off all read through here,
 * so an agent sees what the customer saw, and a read made for either fills the cache for both.
 */
public final class CustomerReads {

    /** What a customer reads of their own. */
    public enum Part {
        PROFILE, ACCOUNT, ORDER,
        /** An order's shipment: asked of the shipping system only once the order proved to be the customer's. */
        SHIPMENT,
        /** What an order allows now (returns, cancellation, address change), with the reason when not. */
        ACTIONS,
        /** The customer's returns (no id), or one by its RMA number (the id). */
        RETURNS
    }

    /** The id of a customer's one-of-a-kind resources (profile, account) in cache keys. */
    static final String ONLY = "-";

    private final BackOfficeClient backOffice;
    private final ResponseCache cache;
    private final JsonBodies bodies;

    public CustomerReads(BackOfficeClient backOffice, ResponseCache cache, JsonMapper json, Clock clock) {
        this.backOffice = backOffice;
        this.cache = cache;
        this.bodies = new JsonBodies(json, clock);
    }

    /**
     * The part from the near cache if it can answer at once (fresh, or stale while one refresh runs), else null.
     * {@code orderId} is needed for orders and shipments, and must be a valid order id.
     */
    public @Nullable Served peek(Part part, String customer, @Nullable String orderId) {
        return cache.peek(key(part, customer, orderId));
    }

    /** The part, from the cache or loaded once from the back office; 404 for an order that is not the customer's. */
    public Mono<Served> read(Part part, String customer, @Nullable String orderId) {
        CacheKey key = key(part, customer, orderId);
        return switch (part) {
            case PROFILE -> load(key, () -> backOffice.customer(customer));
            case ACCOUNT -> load(key, () -> backOffice.account(customer));
            case ORDER -> load(key, () -> backOffice.order(customer, key.id())
                    // The back office already scopes by customer; checking again costs nothing on a miss and guards
                    // against a back office that does not.
                    .filter(order -> customer.equals(order.customerId()))
                    .switchIfEmpty(Mono.defer(() -> Mono.error(SurgeException.notFound("Order")))));
            // Ownership first: the shipping system is keyed by order only and knows nothing of customers. The
            // shipment is cached under the customer, and only ever filled after this check.
            case SHIPMENT -> load(key, () -> read(Part.ORDER, customer, key.id()).then(backOffice.shipment(key.id())));
            case ACTIONS -> load(key, () -> backOffice.orderActions(customer, key.id()));
            case RETURNS -> load(key, () -> ONLY.equals(key.id()) ? backOffice.returns(customer)
                    : backOffice.returnAuthorization(customer, key.id()));
        };
    }

    /**
     * Forgets everything a write to this order changes, in Redis and in every instance's near cache, before the write
     * answers: the order, what it allows now, its shipment, the first page of the order list (at the default size)
     * and the list of returns. The instance that wrote reads the new state at once; another within the eviction
     * message's delivery (pub/sub). Exact keys only: evicting every page of a customer's list is a SCAN of the whole
     * keyspace, too much for every write; later pages and other page sizes catch up within their TTL (30 s).
     */
    public Mono<Void> forgetOrder(String customer, String orderId) {
        return Mono.when(cache.evict(key(Part.ORDER, customer, orderId)),
                cache.evict(key(Part.ACTIONS, customer, orderId)),
                cache.evict(key(Part.SHIPMENT, customer, orderId)),
                cache.evict(firstOrdersPage(customer)),
                cache.evict(key(Part.RETURNS, customer, null)));
    }

    /** The cache key of the first page of the order list at the default size, as the API stores it. */
    static CacheKey firstOrdersPage(String customer) {
        return CacheKey.personal(CachedResource.ORDERS, customer, "first:" + SelfServiceController.DEFAULT_PAGE_SIZE);
    }

    /** Forgets the customer's profile (contact preferences are part of what it shows), everywhere. */
    public Mono<Void> forgetProfile(String customer) {
        return cache.evict(key(Part.PROFILE, customer, null));
    }

    private Mono<Served> load(CacheKey key, Supplier<Mono<?>> read) {
        return cache.get(key, () -> read.get().map(bodies::encode));
    }

    private static CacheKey key(Part part, String customer, @Nullable String orderId) {
        return switch (part) {
            case PROFILE -> CacheKey.personal(CachedResource.PROFILE, customer, ONLY);
            case ACCOUNT -> CacheKey.personal(CachedResource.ACCOUNT, customer, ONLY);
            case ORDER -> CacheKey.personal(CachedResource.ORDER, customer, required(orderId));
            case SHIPMENT -> CacheKey.personal(CachedResource.SHIPMENT, customer, required(orderId));
            case ACTIONS -> CacheKey.personal(CachedResource.ACTIONS, customer, required(orderId));
            case RETURNS -> CacheKey.personal(CachedResource.RETURNS, customer, orderId != null ? orderId : ONLY);
        };
    }

    private static String required(@Nullable String orderId) {
        if (orderId == null) {
            throw new IllegalArgumentException("an order id is required for orders and shipments");
        }
        return orderId;
    }
}
