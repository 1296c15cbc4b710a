package dev.surge.gateway.admission;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import dev.surge.gateway.backoffice.BackOfficeException;
import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.security.Caller;

/**
 * Admits or sheds each request under {@code /api/} by its {@link Priority}, and feeds the latency of the admitted
 * ones back into the adaptive limit. A shed request costs a few microseconds and gets 503 problem+json with
 * {@code Retry-After} at once: under overload, answering "not now" quickly is what keeps the rest fast.
 * Server-sent event streams are let through uncounted: they are long-lived by design and would both hold a slot
 * and teach the limit that requests take minutes.
 */
final class AdmissionWebFilter implements WebFilter, Ordered {

    private final PriorityLimiter limiter;
    private final AdmissionProperties properties;
    private final ProblemResponses problems;
    private final AdmissionMetrics metrics;
    private final String retryAfterSeconds;

    AdmissionWebFilter(PriorityLimiter limiter, AdmissionProperties properties, ProblemResponses problems,
                       AdmissionMetrics metrics) {
        this.limiter = limiter;
        this.properties = properties;
        this.problems = problems;
        this.metrics = metrics;
        this.retryAfterSeconds = Long.toString(properties.getRetryAfter().toSeconds());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 16; // after rate limiting (+14), before the fast path (+20)
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!properties.isEnabled() || !path.startsWith("/api/") || path.endsWith("/events")) {
            return chain.filter(exchange);
        }
        Priority priority = Priority.of(exchange.getRequest(), Caller.of(exchange));
        PriorityLimiter.Permit permit = limiter.tryAcquire(priority);
        if (permit == null) {
            metrics.shed(priority);
            return shed(exchange);
        }
        metrics.admitted(priority);
        return chain.filter(exchange)
                .doOnError(e -> {
                    if (e instanceof BackOfficeException b && b.kind() == BackOfficeException.Kind.TIMEOUT) {
                        permit.onDropped(); // the back office is not keeping up: let the limit come down
                    } else {
                        permit.onIgnore();
                    }
                })
                .doFinally(signal -> {
                    if (signal == SignalType.ON_COMPLETE) {
                        HttpStatusCode status = exchange.getResponse().getStatusCode();
                        if (status != null && status.value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
                            permit.onDropped();
                        } else {
                            permit.onSuccess();
                        }
                    } else {
                        permit.onIgnore(); // cancelled (or already counted on error): says nothing about capacity
                    }
                });
    }

    private Mono<Void> shed(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, "overloaded",
                "Service Unavailable", "Surge is busier than it can serve well right now. Try again in "
                        + retryAfterSeconds + " s.");
        problem.setProperty("retryAfter", properties.getRetryAfter().toSeconds());
        return problems.write(exchange, problem);
    }
}
