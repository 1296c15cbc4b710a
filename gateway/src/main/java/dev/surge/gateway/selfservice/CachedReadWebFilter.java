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

import dev.surge.gateway.cache.CacheKey;
import dev.surge.gateway.cache.CachedResource;
import dev.surge.gateway.cache.CachedResponse;
import dev.surge.gateway.cache.ResponseCache;
import dev.surge.gateway.cache.Served;
import dev.surge.gateway.security.Caller;

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

    private static final String PREFIX = "/api/v1/me";
    private static final String ORDERS = "/orders/";
    private static final String SHIPMENT = "/shipment";

    private final ResponseCache cache;
    private final Clock clock;

    CachedReadWebFilter(ResponseCache cache, Clock clock) {
        this.cache = cache;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20; // after the body limit, before Spring Security (-100)
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Served hit = cachedAnswer(exchange.getRequest(), Caller.of(exchange));
        return hit != null ? write(exchange, hit) : chain.filter(exchange);
    }

    private @Nullable Served cachedAnswer(ServerHttpRequest request, Caller caller) {
        if (request.getMethod() != HttpMethod.GET || request.getURI().getRawQuery() != null) {
            return null;
        }
        String path = request.getPath().value();
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        // The caller was resolved from a token verified in full (security.CallerWebFilter), the same trust Spring
        // Security's chain would give it; anything else is not a customer here.
        if (caller.kind() != Caller.Kind.CUSTOMER || caller.id() == null) {
            return null;
        }
        CacheKey key = key(caller.id(), path);
        return key != null ? cache.peek(key) : null;
    }

    /** The cache key the full path uses for this path, or null if this is not one of the cached single reads. */
    private static @Nullable CacheKey key(String customer, String path) {
        String rest = path.substring(PREFIX.length());
        if (rest.isEmpty()) {
            return CacheKey.personal(CachedResource.PROFILE, customer, SelfServiceController.ONLY);
        }
        if (rest.equals("/account")) {
            return CacheKey.personal(CachedResource.ACCOUNT, customer, SelfServiceController.ONLY);
        }
        if (!rest.startsWith(ORDERS)) {
            return null;
        }
        String id = rest.substring(ORDERS.length());
        CachedResource resource = CachedResource.ORDER;
        if (id.endsWith(SHIPMENT)) {
            id = id.substring(0, id.length() - SHIPMENT.length());
            resource = CachedResource.SHIPMENT;
        }
        return Ids.isValidOrderId(id) ? CacheKey.personal(resource, customer, id) : null;
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
