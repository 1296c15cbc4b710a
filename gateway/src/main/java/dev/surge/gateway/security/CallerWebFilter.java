package dev.surge.gateway.security;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.FilterOrder;
import dev.surge.gateway.identity.Caller;

/**
 * Resolves the {@link Caller} before rate limiting and admission, which run ahead of Spring Security's chain (so
 * that they also cover the cached-read fast path). The token is verified in full by the same caching decoder Spring
 * Security uses, so a token seen before costs a map lookup, and Spring Security then finds it already verified.
 */
final class CallerWebFilter implements WebFilter, Ordered {

    private final CachingJwtDecoder decoder;

    CallerWebFilter(CachingJwtDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public int getOrder() {
        return FilterOrder.CALLER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String token = TokenClaims.bearerToken(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            return chain.filter(exchange);
        }
        Jwt known = decoder.verified(token);
        if (known != null) { // the common case: no Mono assembly at all
            exchange.getAttributes().put(Caller.ATTRIBUTE, TokenClaims.caller(known.getClaims()));
            return chain.filter(exchange);
        }
        return decoder.decode(token)
                .map(jwt -> TokenClaims.caller(jwt.getClaims()))
                .onErrorResume(e -> Mono.empty()) // invalid: anonymous here, 401 from Spring Security where it matters
                .doOnNext(caller -> exchange.getAttributes().put(Caller.ATTRIBUTE, caller))
                .then(Mono.defer(() -> chain.filter(exchange)));
    }
}
