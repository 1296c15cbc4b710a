package dev.surge.gateway.demo;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.ProblemResponses;

/**
 * Keeps every {@code /demo/**} endpoint (token minting, fault injection, simulator stats), wherever its controller
 * lives, to callers on this machine unless {@code surge.demo.expose} is set. Anyone else gets the very 404 problem an
 * unknown path gets, so a scan cannot tell that the demo endpoints exist.
 *
 * <p>"On this machine" is a loopback TCP peer that sent no forwarding header: a proxy or sidecar on the same host
 * (nginx, Envoy) also connects from loopback, but on behalf of someone else, and says so in {@code Forwarded} or
 * {@code X-Forwarded-For}. The peer is the socket's, since {@code server.forward-headers-strategy} is {@code none}.
 */
final class DemoExposureWebFilter implements WebFilter, Ordered {

    /** Before everything else (the body limit is +10), so a refused caller costs nothing more. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;
    private static final String DEMO = "/demo";
    private static final String[] FORWARDING_HEADERS = {"Forwarded", "X-Forwarded-For", "X-Real-IP"};

    private final ProblemResponses problems;
    private final ProblemDetail notFound = ProblemResponses.problem(HttpStatus.NOT_FOUND, "not-found", "Not Found",
            "There is nothing at this path.");

    DemoExposureWebFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!isDemoPath(request.getPath().pathWithinApplication().value()) || isLocal(request)) {
            return chain.filter(exchange);
        }
        return problems.write(exchange, notFound);
    }

    /** {@code /demo} and everything under it, however the path is cased or padded with slashes. */
    static boolean isDemoPath(String path) {
        int start = 0;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        if (start == 0 || !path.regionMatches(true, start, DEMO, 1, DEMO.length() - 1)) {
            return false;
        }
        int end = start + DEMO.length() - 1;
        return end == path.length() || path.charAt(end) == '/' || path.charAt(end) == ';';
    }

    static boolean isLocal(ServerHttpRequest request) {
        InetSocketAddress peer = request.getRemoteAddress();
        InetAddress address = peer != null ? peer.getAddress() : null;
        if (address == null || !address.isLoopbackAddress()) {
            return false;
        }
        for (String header : FORWARDING_HEADERS) {
            if (request.getHeaders().containsHeader(header)) {
                return false;
            }
        }
        return true;
    }
}
