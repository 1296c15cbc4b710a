package dev.surge.gateway.selfservice;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
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
import dev.surge.gateway.core.SurgeException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Self-service reads. The customer is always the token's subject, never a parameter, so no request can name someone
 * else's data; an order of another customer answers 404 exactly like a missing one.
 */
@RestController
@RequestMapping("/api/v1")
class SelfServiceController {

    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 50;
    /** Stock moves fast; browsers and CDNs may reuse a stock level this long. */
    static final Duration STOCK_MAX_AGE = Duration.ofSeconds(5);

    private final BackOfficeClient backOffice;
    private final JsonRepresentations representations;

    SelfServiceController(BackOfficeClient backOffice, JsonMapper json) {
        this.backOffice = backOffice;
        this.representations = new JsonRepresentations(json);
    }

    @GetMapping("/me")
    Mono<ResponseEntity<byte[]>> me(@AuthenticationPrincipal Jwt token) {
        return backOffice.customer(token.getSubject()).map(representations::personal);
    }

    @GetMapping("/me/account")
    Mono<ResponseEntity<byte[]>> account(@AuthenticationPrincipal Jwt token) {
        return backOffice.account(token.getSubject()).map(representations::personal);
    }

    @GetMapping("/me/orders")
    Mono<ResponseEntity<byte[]>> orders(@AuthenticationPrincipal Jwt token,
                                        @RequestParam(required = false) @Nullable String cursor,
                                        @RequestParam(required = false) @Nullable String limit) {
        String after = OrderCursor.decode(cursor);
        int size = pageSize(limit);
        return backOffice.orders(token.getSubject(), after, size)
                .map(page -> new OrderList(page.orders(), OrderCursor.encode(page.next())))
                .map(representations::personal);
    }

    @GetMapping("/me/orders/{orderId}")
    Mono<ResponseEntity<byte[]>> order(@AuthenticationPrincipal Jwt token, @PathVariable String orderId) {
        return ownOrder(token, Ids.orderId(orderId)).map(representations::personal);
    }

    @GetMapping("/me/orders/{orderId}/shipment")
    Mono<ResponseEntity<byte[]>> shipment(@AuthenticationPrincipal Jwt token, @PathVariable String orderId) {
        // Ownership first: the shipping system is keyed by order only and knows nothing of customers.
        return ownOrder(token, Ids.orderId(orderId))
                .flatMap(order -> backOffice.shipment(order.id()))
                .map(representations::personal);
    }

    @GetMapping("/inventory/{sku}")
    Mono<ResponseEntity<byte[]>> stock(@PathVariable String sku) {
        return backOffice.stock(Ids.sku(sku)).map(level -> representations.shared(level, STOCK_MAX_AGE));
    }

    private Mono<dev.surge.gateway.backoffice.Order> ownOrder(Jwt token, String orderId) {
        String customerId = token.getSubject();
        return backOffice.order(customerId, orderId)
                // The back office already scopes by customer; checking again costs nothing and guards against a
                // back office that does not.
                .filter(order -> customerId.equals(order.customerId()))
                .switchIfEmpty(Mono.defer(() -> Mono.error(SurgeException.notFound("Order"))));
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
