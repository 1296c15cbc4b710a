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
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.surge.gateway.cache.CacheKey;
import dev.surge.gateway.cache.CachedResource;
import dev.surge.gateway.cache.CachedResponse;
import dev.surge.gateway.cache.ResponseCache;
import dev.surge.gateway.cache.Served;
import dev.surge.gateway.security.SurgeRoles;
import dev.surge.gateway.security.VerifiedTokens;

/**
 * The fast path of the read API: a {@code GET} of the caller's profile, account, order or shipment, with a token
 * this instance already verified in full, whose answer the near cache can give at once (fresh, or stale while one
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

    private final VerifiedTokens tokens;
    private final ResponseCache cache;
    private final Clock clock;

    CachedReadWebFilter(VerifiedTokens tokens, ResponseCache cache, Clock clock) {
        this.tokens = tokens;
        this.cache = cache;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20; // after the body limit, before Spring Security (-100)
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Served hit = cachedAnswer(exchange.getRequest());
        return hit != null ? write(exchange, hit) : chain.filter(exchange);
    }

    private @Nullable Served cachedAnswer(ServerHttpRequest request) {
        if (request.getMethod() != HttpMethod.GET || request.getURI().getRawQuery() != null) {
            return null;
        }
        String path = request.getPath().value();
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() < 8) {
            return null;
        }
        Jwt jwt = tokens.verified(authorization.substring(7));
        if (jwt == null || !VerifiedTokens.hasRole(jwt, SurgeRoles.CUSTOMER) || jwt.getSubject() == null) {
            return null;
        }
        CacheKey key = key(jwt.getSubject(), path);
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
