package dev.surge.gateway.selfservice;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
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
 * Self-service reads, all through the response cache. The customer is always the token's subject, never a
 * parameter, and every personal cache key carries it, so no request can reach someone else's data; an order of
 * another customer answers 404 exactly like a missing one.
 */
@RestController
@RequestMapping("/api/v1")
class SelfServiceController {

    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 50;
    /** Stock moves fast; browsers and CDNs may reuse a stock level this long. */
    static final Duration STOCK_MAX_AGE = Duration.ofSeconds(5);
    private static final CacheControl SHARED = CacheControl.maxAge(STOCK_MAX_AGE).cachePublic();
    /** The id of a customer's one-of-a-kind resources (profile, account) in cache keys. */
    static final String ONLY = "-";

    private final BackOfficeClient backOffice;
    private final ResponseCache cache;
    private final JsonRepresentations representations;
    private final JsonBodies bodies;

    SelfServiceController(BackOfficeClient backOffice, ResponseCache cache, JsonMapper json, Clock clock) {
        this.backOffice = backOffice;
        this.cache = cache;
        this.representations = new JsonRepresentations(clock);
        this.bodies = new JsonBodies(json, clock);
    }

    @GetMapping("/me")
    Mono<ResponseEntity<byte[]>> me(@AuthenticationPrincipal Jwt token) {
        String customer = token.getSubject();
        return personal(CacheKey.personal(CachedResource.PROFILE, customer, ONLY), () -> backOffice.customer(customer));
    }

    @GetMapping("/me/account")
    Mono<ResponseEntity<byte[]>> account(@AuthenticationPrincipal Jwt token) {
        String customer = token.getSubject();
        return personal(CacheKey.personal(CachedResource.ACCOUNT, customer, ONLY), () -> backOffice.account(customer));
    }

    @GetMapping("/me/orders")
    Mono<ResponseEntity<byte[]>> orders(@AuthenticationPrincipal Jwt token,
                                        @RequestParam(required = false) @Nullable String cursor,
                                        @RequestParam(required = false) @Nullable String limit) {
        String customer = token.getSubject();
        String after = OrderCursor.decode(cursor);
        int size = pageSize(limit);
        CacheKey key = CacheKey.personal(CachedResource.ORDERS, customer, (after != null ? after : "first") + ":" + size);
        return personal(key, () -> backOffice.orders(customer, after, size)
                .map(page -> new OrderList(page.orders(), OrderCursor.encode(page.next()))));
    }

    @GetMapping("/me/orders/{orderId}")
    Mono<ResponseEntity<byte[]>> order(@AuthenticationPrincipal Jwt token, @PathVariable String orderId) {
        String customer = token.getSubject();
        return cachedOrder(customer, Ids.orderId(orderId))
                .map(served -> representations.entity(served, JsonRepresentations.PRIVATE));
    }

    @GetMapping("/me/orders/{orderId}/shipment")
    Mono<ResponseEntity<byte[]>> shipment(@AuthenticationPrincipal Jwt token, @PathVariable String orderId) {
        String customer = token.getSubject();
        String id = Ids.orderId(orderId);
        // Ownership first: the shipping system is keyed by order only and knows nothing of customers. The shipment
        // is cached under the customer, and only ever filled after this check.
        return personal(CacheKey.personal(CachedResource.SHIPMENT, customer, id),
                () -> cachedOrder(customer, id).then(backOffice.shipment(id)));
    }

    @GetMapping("/inventory/{sku}")
    Mono<ResponseEntity<byte[]>> stock(@PathVariable String sku) {
        CacheKey key = CacheKey.shared(CachedResource.STOCK, Ids.sku(sku));
        return cache.get(key, () -> backOffice.stock(key.id()).map(bodies::encode))
                .map(served -> representations.entity(served, SHARED));
    }

    private Mono<Served> cachedOrder(String customer, String orderId) {
        return cache.get(CacheKey.personal(CachedResource.ORDER, customer, orderId), () -> backOffice
                .order(customer, orderId)
                // The back office already scopes by customer; checking again costs nothing on a miss and guards
                // against a back office that does not.
                .filter(order -> customer.equals(order.customerId()))
                .switchIfEmpty(Mono.defer(() -> Mono.error(SurgeException.notFound("Order"))))
                .map(bodies::encode));
    }

    private Mono<ResponseEntity<byte[]>> personal(CacheKey key, Supplier<Mono<?>> read) {
        return cache.get(key, () -> read.get().map(bodies::encode))
                .map(served -> representations.entity(served, JsonRepresentations.PRIVATE));
    }

    private static int pageSize(@Nullable String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_PAGE_SIZE;
        }
        try {
            int size = Integer.parseInt(limit);
            if (size >= 1 && size <= MAX_PAGE_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // fall through to the 400 below
        }
        throw SurgeException.badRequest("limit must be a whole number from 1 to " + MAX_PAGE_SIZE + ".");
    }
}
