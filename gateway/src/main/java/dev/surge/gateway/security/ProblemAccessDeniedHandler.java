package dev.surge.gateway.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.ProblemResponses;

/** 403 as problem+json, with the RFC 6750 {@code insufficient_scope} challenge. */
final class ProblemAccessDeniedHandler implements ServerAccessDeniedHandler {

    private final ProblemResponses responses;

    ProblemAccessDeniedHandler(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                "Bearer realm=\"surge\", error=\"insufficient_scope\"");
        return responses.write(exchange, ProblemResponses.problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "This token does not allow this request."));
    }
}
