package dev.surge.gateway.journey;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
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
 * Records each customer's self-service requests for the hand-off: time, method, path template (with the order id
 * when there is one), status and how the cache answered ({@code Cache-Status}: stale answers are what a customer
 * saw while the back office failed). Ordered before the fast path ({@code CachedReadWebFilter}), so cache hits
 * answered there are recorded too. The entry is taken just before the response is committed, when status and
 * headers are final, and only for a customer whose token verified in full ({@link Caller}, resolved before this
 * filter): no decoding here, and nothing recorded for tokens that were refused.
 */
final class JourneyWebFilter implements WebFilter, Ordered, EarlyShedListener {

    /** Length of the entry prefix {@code {"at":"2026-11-23T08:00:00.000Z"} that orders entries by time. */
    static final int TIME_END = 31;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final JourneyRecorder recorder;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    JourneyWebFilter(JourneyRecorder recorder, Clock clock) {
        this.recorder = recorder;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return FilterOrder.JOURNEY;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().value();
        Caller caller = Caller.of(exchange);
        if (recorded(caller, Routes.of(exchange))) {
            long at = clock.millis();
            exchange.getResponse().beforeCommit(() -> {
                record(exchange, caller.id(), path, at);
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }

    /** A request shed before the filters ran is in the journey as the filter would have put it: a 503. */
    @Override
    public void shed(Caller caller, String method, String path) {
        if (recorded(caller, Routes.resolve(HttpMethod.valueOf(method), path))) {
            recorder.record(caller.id(), new JourneyEntry(clock.millis(), sequence.incrementAndGet(), method, path,
                    HttpStatus.SERVICE_UNAVAILABLE.value(), null));
        }
    }

    private static boolean recorded(Caller caller, Route route) {
        return caller.kind() == Caller.Kind.CUSTOMER && caller.id() != null && route.journey() != null;
    }

    private void record(ServerWebExchange exchange, String customer, String path, long at) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        recorder.record(customer, new JourneyEntry(at, sequence.incrementAndGet(),
                exchange.getRequest().getMethod().name(), path, status != null ? status.value() : 200,
                exchange.getResponse().getHeaders().getFirst("Cache-Status")));
    }

    /** Whether two Cache-Status values mean the same outcome for the journey. */
    static boolean sameCacheOutcome(@Nullable String a, @Nullable String b) {
        return Objects.equals(cache(a), cache(b));
    }

    /**
     * Appends the path as a template; ids are kept in their own member, and only when they have a safe shape, so
     * nothing a client sent reaches the JSON unchecked.
     */
    static void template(String path, StringBuilder entry) {
        String orderId = Routes.orderId(path);
        entry.append(",\"path\":\"").append(Routes.journeyTemplate(path)).append('"');
        if (orderId != null && ID.matcher(orderId).matches()) {
            entry.append(",\"orderId\":\"").append(orderId).append('"');
        }
    }

    /** Outcome from an RFC 9211 Cache-Status value, or null when the response did not come through the cache. */
    static @Nullable String cache(@Nullable String cacheStatus) {
        if (cacheStatus == null) {
            return null;
        }
        if (cacheStatus.contains("stale-if-error")) {
            return "stale-if-error";
        }
        if (cacheStatus.contains("stale-while-revalidate")) {
            return "stale-while-revalidate";
        }
        return cacheStatus.contains("fwd=miss") ? "miss" : "hit";
    }
}
