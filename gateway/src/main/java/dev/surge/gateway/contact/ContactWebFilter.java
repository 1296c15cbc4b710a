package dev.surge.gateway.contact;

import java.time.Clock;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.surge.gateway.admission.EarlyShedListener;
import dev.surge.gateway.core.FilterOrder;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.route.Route;
import dev.surge.gateway.route.Routes;

/**
 * Counts every API request by its {@code Surge-Channel} header, and notes a customer's self-service activity: a
 * verified customer on a route the journey records, whatever the answer (the journey has the statuses; the failed
 * step of an escalation is read from it). Nothing waits: an increment, and for a customer one map entry updated.
 * Also told of requests admission shed before the filters ran, which the journey records too.
 */
final class ContactWebFilter implements WebFilter, Ordered, EarlyShedListener {

    private final ContactRecorder recorder;
    private final Clock clock;

    ContactWebFilter(ContactRecorder recorder, Clock clock) {
        this.recorder = recorder;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return FilterOrder.CONTACT;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Route route = Routes.of(exchange);
        if (route.isApi()) {
            recorder.request(exchange.getRequest().getHeaders().getFirst(Caller.CHANNEL_HEADER));
            note(Caller.of(exchange), route);
        }
        return chain.filter(exchange);
    }

    @Override
    public void shed(Caller caller, String method, String path) {
        note(caller, Routes.resolve(HttpMethod.valueOf(method), path));
    }

    private void note(Caller caller, Route route) {
        String customer = caller.id();
        if (caller.kind() == Caller.Kind.CUSTOMER && customer != null && route.journey() != null) {
            recorder.active(customer, caller.tier(), clock.millis());
        }
    }
}
