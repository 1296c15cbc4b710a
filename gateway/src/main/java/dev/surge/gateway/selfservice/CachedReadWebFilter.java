package dev.surge.gateway.selfservice;

import java.time.Clock;

import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.surge.gateway.cache.CachedResponse;
import dev.surge.gateway.cache.Served;
import dev.surge.gateway.core.FilterOrder;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.route.Route;
import dev.surge.gateway.route.Routes;

/**
 * The fast path of the read API: a {@code GET} of the caller's profile, account, order or shipment, by a customer
 * whose token verified in full ({@link Caller}), whose answer the near cache can give at once (fresh, or stale while one
 * refresh runs), is answered here, before Spring
 * Security's filter chain and the dispatcher. Under a spike almost every request is exactly that, and the two
 * stacks it skips cost several times the work of the answer itself (docs/benchmarks.md).
 *
 * <p>It only ever answers what the full path would answer the same way: same bytes, ETag, headers and 304s. It
 * decides nothing about access on its own: a token it does not know, a missing role, any other path or method, a
 * query string, a malformed id, a missing entry or one that needs a refresh first: all go down the full path
 * unchanged.
 */
final class CachedReadWebFilter implements WebFilter, Ordered {

    private final CustomerReads reads;
    private final Clock clock;

    CachedReadWebFilter(CustomerReads reads, Clock clock) {
        this.reads = reads;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return FilterOrder.CACHED_READ;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Served hit = cachedAnswer(exchange, Caller.of(exchange));
        return hit != null ? write(exchange, hit) : chain.filter(exchange);
    }

    private @Nullable Served cachedAnswer(ServerWebExchange exchange, Caller caller) {
        Route route = Routes.of(exchange);
        ServerHttpRequest request = exchange.getRequest();
        if (!route.cachedRead() || request.getMethod() != HttpMethod.GET || request.getURI().getRawQuery() != null) {
            return null;
        }
        // The caller was resolved from a token verified in full (security.CallerWebFilter), the same trust Spring
        // Security's chain would give it; anything else is not a customer here.
        if (caller.kind() != Caller.Kind.CUSTOMER || caller.id() == null) {
            return null;
        }
        CustomerReads.Part part = part(route);
        if (part == null) {
            return null;
        }
        String orderId = Routes.variable(route, request.getPath().value(), "orderId");
        if (orderId != null && !Ids.isValidOrderId(orderId)) {
            return null;
        }
        return reads.peek(part, caller.id(), orderId);
    }

    /** The read the full path makes for this route, or null if the fast path does not know it. */
    private static CustomerReads.@Nullable Part part(Route route) {
        if (route == Routes.PROFILE) {
            return CustomerReads.Part.PROFILE;
        }
        if (route == Routes.ACCOUNT) {
            return CustomerReads.Part.ACCOUNT;
        }
        if (route == Routes.ORDER) {
            return CustomerReads.Part.ORDER;
        }
        return route == Routes.SHIPMENT ? CustomerReads.Part.SHIPMENT : null;
    }
    private Mono<Void> write(ServerWebExchange exchange, Served served) {
        CachedResponse hit = served.response();
        ServerHttpResponse response = exchange.getResponse();
        HttpHeaders headers = response.getHeaders();
        headers.setETag(hit.etag());
        headers.setCacheControl(JsonRepresentations.PRIVATE);
        headers.set(HttpHeaders.AGE, Long.toString(Math.max(0, (clock.millis() - hit.fetchedAtMillis()) / 1000)));
        headers.set(JsonRepresentations.CACHE_STATUS, JsonRepresentations.cacheStatus(served.outcome()));
        SecurityHeaders.apply(headers);
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (exchange.getRequest().getHeaders().getIfNoneMatch().contains(hit.etag())) {
            response.setStatusCode(HttpStatus.NOT_MODIFIED);
            return response.setComplete();
        }
        response.setStatusCode(HttpStatus.OK);
        headers.setContentLength(hit.body().length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(hit.body())));
    }
}
