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

    /** One line per kind of failure (status and problem type, or exception class) at most this often. */
    static final java.time.Duration LOG_INTERVAL = java.time.Duration.ofSeconds(10);

    private final ProblemResponses responses;
    private final LogThrottle throttle;

    ProblemWebExceptionHandler(ProblemResponses responses, java.time.Clock clock) {
        this.responses = responses;
        this.throttle = new LogThrottle(clock, LOG_INTERVAL);
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
        // flood the log for as long as an outage lasts. Other 5xx: one line per kind and LOG_INTERVAL, with how many
        // were held back; a stack trace only for what is not a known failure (a SurgeException such as the back
        // office's 502/504 is one: its type says all, and the metrics count every call).
        if (problem.getStatus() >= 500 && problem.getStatus() != 503) {
            logFailure(exchange, problem, ex);
        }
        exchange.getResponse().getHeaders().clearContentHeaders();
        if (ex instanceof ErrorResponse error) {
            // Headers the problem needs on the wire: Retry-After on 503s, Allow on 405s.
            exchange.getResponse().getHeaders().addAll(error.getHeaders());
        }
        return responses.write(exchange, problem);
    }

    private void logFailure(ServerWebExchange exchange, ProblemDetail problem, Throwable ex) {
        boolean known = ex instanceof SurgeException;
        String kind = problem.getStatus() + " " + (known ? String.valueOf(problem.getType()) : ex.getClass().getName());
        long held = throttle.admit(kind);
        if (held < 0) {
            return;
        }
        // The trace id for this line only: the event loop has no trace in its MDC (no automatic context propagation).
        String traceId = Traces.traceId(exchange);
        try (var mdc = traceId != null ? org.slf4j.MDC.putCloseable("traceId", traceId) : null) {
            write(exchange, problem, ex, known, held);
        }
    }

    private static void write(ServerWebExchange exchange, ProblemDetail problem, Throwable ex, boolean known,
                              long held) {
        if (known) {
            log.warn("{} {} failed with {} {} ({} more like it held back)", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), problem.getStatus(), problem.getType(), held);
        } else {
            log.warn("{} {} failed with {} ({} more like it held back)", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), problem.getStatus(), held, ex);
        }
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
