package dev.surge.gateway.core;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Sends the served request's trace to the back office as W3C {@code traceparent}. Instead of the WebClient's own
 * observation, which would add a timer, a span and a context map to every back-office call (kept off on this path
 * for cost, see backoffice.BackOfficeConfiguration): this only writes a header from the trace the server's
 * observation already holds, so the back office's spans join the same trace as children of the gateway's.
 */
public final class TracePropagation implements ExchangeFilterFunction {

    private final Propagator propagator;

    public TracePropagation(Propagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.deferContextual(context -> {
            TraceContext trace = Traces.of(context);
            if (trace == null) {
                return next.exchange(request);
            }
            return next.exchange(ClientRequest.from(request)
                    .headers(headers -> propagator.inject(trace, headers, HttpHeaders::set)).build());
        });
    }
}
