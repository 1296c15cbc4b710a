package dev.surge.gateway.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.ProblemResponses;

/**
 * 401 with an RFC 6750 {@code WWW-Authenticate: Bearer} challenge and a problem+json body. A bad token gets
 * {@code error="invalid_token"}; a missing one only the realm, as the RFC asks.
 */
final class ProblemAuthenticationEntryPoint implements ServerAuthenticationEntryPoint {

    private final ProblemResponses responses;

    ProblemAuthenticationEntryPoint(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
        boolean badToken = ex instanceof OAuth2AuthenticationException;
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, badToken
                ? "Bearer realm=\"surge\", error=\"invalid_token\", error_description=\"The token is invalid or expired\""
                : "Bearer realm=\"surge\"");
        String detail = badToken ? "The access token is invalid or has expired." : "An access token is required.";
        return responses.write(exchange,
                ProblemResponses.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail));
    }
}
