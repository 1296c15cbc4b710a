package dev.surge.gateway.core;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import reactor.util.context.ContextView;

/**
 * The trace of the request being served, read from where the server's observation keeps it (the exchange, the
 * Reactor context) rather than from thread locals: the gateway does not turn on Reactor's automatic context
 * propagation, which would cost every operator of every request a thread-local save and restore.
 */
public final class Traces {

    private Traces() {
    }

    /**
     * The trace context of the request whose Reactor context this is, or null when it has none. The innermost
     * observation there may be one no tracing handler took (Spring Security's filter-chain observations), so its
     * parents are asked in turn.
     */
    public static @Nullable TraceContext of(ContextView context) {
        Observation current = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        io.micrometer.observation.ObservationView observation = current;
        for (int depth = 0; observation != null && depth < 16; depth++) {
            TraceContext trace = of(observation.getContextView());
            if (trace != null) {
                return trace;
            }
            observation = observation.getContextView().getParentObservation();
        }
        ServerWebExchange exchange = context.getOrDefault(ServerWebExchange.class, null);
        return exchange != null ? traceContext(exchange) : null;
    }

    /** The trace id of the exchange's request (32 hex digits), or null when it is not traced. */
    public static @Nullable String traceId(ServerWebExchange exchange) {
        TraceContext trace = traceContext(exchange);
        return trace != null ? trace.traceId() : null;
    }

    private static @Nullable TraceContext traceContext(ServerWebExchange exchange) {
        ServerRequestObservationContext observation =
                ServerRequestObservationContext.findCurrent(exchange.getAttributes()).orElse(null);
        return observation != null ? of(observation) : null;
    }

    private static @Nullable TraceContext of(Observation.ContextView observation) {
        TracingObservationHandler.TracingContext tracing =
                observation.get(TracingObservationHandler.TracingContext.class);
        Span span = tracing != null ? tracing.getSpan() : null;
        return span != null ? span.context() : null;
    }
}
