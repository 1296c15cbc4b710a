package dev.surge.gateway.selfservice;

import java.time.Clock;
import java.time.Duration;

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
    private final BackOfficeClient backOffice;
    private final ResponseCache cache;
    private final CustomerReads reads;
    private final JsonRepresentations representations;
    private final JsonBodies bodies;

    SelfServiceController(BackOfficeClient backOffice, ResponseCache cache, CustomerReads reads, JsonMapper json,
                          Clock clock) {
        this.backOffice = backOffice;
        this.cache = cache;
        this.reads = reads;
        this.representations = new JsonRepresentations(clock);
        this.bodies = new JsonBodies(json, clock);
    }

    @GetMapping("/me")
    Mono<ResponseEntity<byte[]>> me(@AuthenticationPrincipal Jwt token) {
        return personal(reads.read(CustomerReads.Part.PROFILE, token.getSubject(), null));
    }

    @GetMapping("/me/account")
    Mono<ResponseEntity<byte[]>> account(@AuthenticationPrincipal Jwt token) {
        return personal(reads.read(CustomerReads.Part.ACCOUNT, token.getSubject(), null));
    }

    @GetMapping("/me/orders")
    Mono<ResponseEntity<byte[]>> orders(@AuthenticationPrincipal Jwt token,
                                        @RequestParam(required = false) @Nullable String cursor,
                                        @RequestParam(required = false) @Nullable String limit) {
        String customer = token.getSubject();
        String after = OrderCursor.decode(cursor);
        int size = pageSize(limit);
        CacheKey key = after == null && size == DEFAULT_PAGE_SIZE ? CustomerReads.firstOrdersPage(customer)
                : CacheKey.personal(CachedResource.ORDERS, customer, (after != null ? after : "first") + ":" + size);
        return personal(cache.get(key, () -> backOffice.orders(customer, after, size)
                .map(page -> bodies.encode(new OrderList(page.orders(), OrderCursor.encode(page.next()))))));
    }

    @GetMapping("/me/orders/{orderId}")
    Mono<ResponseEntity<byte[]>> order(@AuthenticationPrincipal Jwt token, @PathVariable String orderId) {
        return personal(reads.read(CustomerReads.Part.ORDER, token.getSubject(), Ids.orderId(orderId)));
    }

    @GetMapping("/me/orders/{orderId}/shipment")
    Mono<ResponseEntity<byte[]>> shipment(@AuthenticationPrincipal Jwt token, @PathVariable String orderId) {
        return personal(reads.read(CustomerReads.Part.SHIPMENT, token.getSubject(), Ids.orderId(orderId)));
    }

    /** What the order allows now and until when, each with the reason when not: apps show only what will work. */
    @GetMapping("/me/orders/{orderId}/actions")
    Mono<ResponseEntity<byte[]>> actions(@AuthenticationPrincipal Jwt token, @PathVariable String orderId) {
        return personal(reads.read(CustomerReads.Part.ACTIONS, token.getSubject(), Ids.orderId(orderId)));
    }

    @GetMapping("/me/returns")
    Mono<ResponseEntity<byte[]>> returns(@AuthenticationPrincipal Jwt token) {
        return personal(reads.read(CustomerReads.Part.RETURNS, token.getSubject(), null));
    }

    @GetMapping("/me/returns/{rma}")
    Mono<ResponseEntity<byte[]>> returnAuthorization(@AuthenticationPrincipal Jwt token, @PathVariable String rma) {
        return personal(reads.read(CustomerReads.Part.RETURNS, token.getSubject(), Ids.rma(rma)));
    }

    @GetMapping("/inventory/{sku}")
    Mono<ResponseEntity<byte[]>> stock(@PathVariable String sku) {
        CacheKey key = CacheKey.shared(CachedResource.STOCK, Ids.sku(sku));
        return cache.get(key, () -> backOffice.stock(key.id()).map(bodies::encode))
                .map(served -> representations.entity(served, SHARED));
    }

    private Mono<ResponseEntity<byte[]>> personal(Mono<Served> read) {
        return read.map(served -> representations.entity(served, JsonRepresentations.PRIVATE));
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
