package dev.surge.gateway.core;

import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Turns every error that reaches the web layer into a problem+json response: the one place where exceptions become
 * HTTP statuses. Runs before Spring Boot's own error handler, so no default error page or stack trace is ever shown.
 */
final class ProblemWebExceptionHandler implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ProblemWebExceptionHandler.class);

    private final ProblemResponses responses;

    ProblemWebExceptionHandler(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public int getOrder() {
        return -2; // before Boot's DefaultErrorWebExceptionHandler (-1)
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        ProblemDetail problem = toProblem(ex);
        // 503s are deliberate refusals (an open breaker, a full bulkhead), counted in metrics; a line for each would
        // flood the log for as long as an outage lasts.
        if (problem.getStatus() >= 500 && problem.getStatus() != 503) {
            log.warn("{} {} failed with {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    problem.getStatus(), ex);
        }
        exchange.getResponse().getHeaders().clearContentHeaders();
        if (ex instanceof ErrorResponse error) {
            // Headers the problem needs on the wire: Retry-After on 503s, Allow on 405s.
            exchange.getResponse().getHeaders().addAll(error.getHeaders());
        }
        return responses.write(exchange, problem);
    }

    static ProblemDetail toProblem(Throwable ex) {
        if (ex instanceof SurgeException surge) {
            return surge.getBody();
        }
        if (ex instanceof DataBufferLimitException || hasCause(ex, DataBufferLimitException.class)) {
            return RequestBodyLimitWebFilter.tooLarge();
        }
        if (ex instanceof ServerWebInputException input) {
            // Framework input errors carry conversion details (type names) in their causes; only the reason is shown.
            String reason = input.getReason() != null && !hasCause(ex, DecodingException.class)
                    ? input.getReason() : "The request could not be read.";
            return ProblemResponses.problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad Request", safe(reason));
        }
        if (ex instanceof ErrorResponse error) {
            HttpStatusCode status = error.getStatusCode();
            String title = HttpStatus.resolve(status.value()) != null
                    ? HttpStatus.valueOf(status.value()).getReasonPhrase() : "Error";
            // Unknown paths: say so plainly rather than echo how the framework looked for a handler.
            String detail = status.value() == 404 ? "There is nothing at this path." : error.getBody().getDetail();
            return ProblemResponses.problem(status, slug(status), title,
                    detail != null ? safe(detail) : title + ".");
        }
        if (isRequestTimeout(ex)) {
            return ProblemResponses.problem(HttpStatus.REQUEST_TIMEOUT, "request-timeout", "Request Timeout",
                    "The request body did not arrive in time.");
        }
        if (ex instanceof TimeoutException) {
            return ProblemResponses.problem(HttpStatus.GATEWAY_TIMEOUT, "timeout", "Gateway Timeout",
                    "The request took too long to answer.");
        }
        return ProblemResponses.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal Server Error",
                "Something went wrong on our side. Please try again later.");
    }

    private static String slug(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "body-too-large";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status.value();
        };
    }

    /** Framework messages may name Java types; a customer should never see those. */
    private static String safe(String detail) {
        return detail.matches("(?s).*\\b(java|javax|jakarta|org\\.springframework|tools\\.jackson|dev\\.surge)\\..*")
                ? "The request is not valid." : detail;
    }

    /**
     * Reactor Netty's request timeout (surge.http.request-body-timeout): the client's fault, not ours. Its exception
     * class is not public, hence the name.
     */
    private static boolean isRequestTimeout(Throwable ex) {
        return ex.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException");
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
