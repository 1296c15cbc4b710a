package dev.surge.gateway.core;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Rejects request bodies over the configured limit with 413: at once when {@code Content-Length} says so, and while
 * streaming for chunked bodies, so an oversized body is never buffered whole.
 */
final class RequestBodyLimitWebFilter implements WebFilter, Ordered {

    private final long maxBytes;
    private final ProblemResponses responses;

    RequestBodyLimitWebFilter(long maxBytes, ProblemResponses responses) {
        this.maxBytes = maxBytes;
        this.responses = responses;
    }

    static ProblemDetail tooLarge() {
        return ProblemResponses.problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Content Too Large",
                "The request body is larger than this API accepts.");
    }

    @Override
    public int getOrder() {
        return FilterOrder.BODY_LIMIT;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > maxBytes) {
            return responses.write(exchange, tooLarge());
        }
        if (declared >= 0) {
            return chain.filter(exchange); // the server reads no more than Content-Length
        }
        ServerHttpRequest limited = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                        DataBufferUtils.release(buffer);
                        sink.error(new SurgeException(tooLarge(), null));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(limited).build());
    }
}
