package dev.surge.gateway.ratelimit;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.FilterOrder;
import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.route.Route;
import dev.surge.gateway.route.Routes;

/**
 * Checks every request under {@code /api/} against its route class's windows, keyed by the caller (customer, agent
 * or service id; the client address when anonymous), before any work is done for it. Every limited response carries
 * the IETF {@code RateLimit-Policy} and {@code RateLimit} headers (draft-ietf-httpapi-ratelimit-headers); a request
 * over a limit gets 429 problem+json with {@code Retry-After}.
 */
final class RateLimitWebFilter implements WebFilter, Ordered {

    public static final String POLICY_HEADER = "RateLimit-Policy";
    public static final String RATE_LIMIT_HEADER = "RateLimit";

    private final SlidingWindowLimiter limiter;
    private final RateLimitProperties properties;
    private final ClientAddress clientAddress;
    private final ProblemResponses problems;
    private final RateLimitMetrics metrics;
    private final Map<RouteClass, List<RateWindow>> windows = new EnumMap<>(RouteClass.class);
    private final Map<RouteClass, String> policies = new EnumMap<>(RouteClass.class);

    RateLimitWebFilter(SlidingWindowLimiter limiter, RateLimitProperties properties, ProblemResponses problems,
                       RateLimitMetrics metrics) {
        this.limiter = limiter;
        this.properties = properties;
        this.clientAddress = new ClientAddress(properties.getTrustedProxies());
        this.problems = problems;
        this.metrics = metrics;
        for (RouteClass routeClass : RouteClass.values()) {
            List<RateWindow> classWindows = properties.windows(routeClass);
            windows.put(routeClass, classWindows);
            // e.g. "burst";q=20;w=1, "quota";q=600;w=60: fixed per class, so built once
            policies.put(routeClass, classWindows.stream()
                    .map(w -> "\"" + w.name() + "\";q=" + w.limit() + ";w=" + w.period().toSeconds())
                    .collect(Collectors.joining(", ")));
        }
    }

    @Override
    public int getOrder() {
        return FilterOrder.RATE_LIMIT;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Route route = Routes.of(exchange);
        if (!properties.isEnabled() || !route.isApi()) {
            return chain.filter(exchange);
        }
        Caller caller = Caller.of(exchange);
        RouteClass routeClass = RouteClass.of(route, caller);
        String who = caller.id() != null ? caller.id() : clientAddress.of(exchange.getRequest());
        SlidingWindowLimiter.Decision decision = limiter.tryAcquire(routeClass, who, windows.get(routeClass));
        metrics.decided(routeClass, decision.allowed());
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set(POLICY_HEADER, policies.get(routeClass));
        headers.set(RATE_LIMIT_HEADER, "\"" + decision.window().name() + "\";r=" + decision.remaining()
                + ";t=" + decision.resetSeconds());
        if (decision.allowed()) {
            return chain.filter(exchange);
        }
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                "Too Many Requests", "Too many requests: at most " + decision.window().limit() + " per "
                        + decision.window().period().toSeconds() + " s (" + decision.window().name()
                        + "). Try again in " + decision.retryAfterSeconds() + " s.");
        problem.setProperty("retryAfter", decision.retryAfterSeconds());
        return problems.write(exchange, problem);
    }
}
