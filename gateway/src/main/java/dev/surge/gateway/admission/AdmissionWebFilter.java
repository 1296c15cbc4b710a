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
import dev.surge.gateway.core.FilterOrder;
import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.route.Route;
import dev.surge.gateway.route.Routes;

/**
 * Admits or sheds each request under {@code /api/} by its {@link Priority}, and feeds the latency of the admitted
 * ones back into the adaptive limit. A shed request gets 503 problem+json with {@code Retry-After} at once, and
 * never reaches the back office: under overload, answering "not now" quickly is what keeps the rest fast. (It still
 * costs about what a cached answer costs, the exchange and the filters before this one; docs/benchmarks.md.)
 * Server-sent event streams are let through uncounted: they are long-lived by design and would both hold a slot
 * and teach the limit that requests take minutes. So are the waiting room's own endpoints.
 *
 * <p>A shed customer gets a place in the {@link WaitingRoom} instead of the plain 503; an admitted ticket in the
 * {@value WaitingRoom#TICKET_HEADER} header is let in ahead of new arrivals; and while customers wait, new arrivals
 * of their class and below take a place behind them rather than slip in whenever a slot frees.
 */
final class AdmissionWebFilter implements WebFilter, Ordered {

    private final PriorityLimiter limiter;
    private final AdmissionProperties properties;
    private final ProblemResponses problems;
    private final AdmissionMetrics metrics;
    private final WaitingRoom room;
    private final String retryAfterSeconds;
    private final ProblemResponses.Prepared shedProblem;

    AdmissionWebFilter(PriorityLimiter limiter, AdmissionProperties properties, ProblemResponses problems,
                       AdmissionMetrics metrics, WaitingRoom room) {
        this.limiter = limiter;
        this.properties = properties;
        this.problems = problems;
        this.metrics = metrics;
        this.room = room;
        this.retryAfterSeconds = retryAfterSeconds(properties);
        // Encoded once: under overload this is the most frequent answer of all.
        this.shedProblem = problems.prepare(shedProblem(properties));
    }

    /** The plain 503 of a shed request (no waiting-room place); {@link EarlyShed} gives the same. */
    static ProblemDetail shedProblem(AdmissionProperties properties) {
        ProblemDetail shed = ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, "overloaded",
                "Service Unavailable", "Surge is busier than it can serve well right now. Try again in "
                        + retryAfterSeconds(properties) + " s.");
        shed.setProperty("retryAfter", properties.getRetryAfter().toSeconds());
        return shed;
    }

    static String retryAfterSeconds(AdmissionProperties properties) {
        return Long.toString(properties.getRetryAfter().toSeconds());
    }

    /** Whether admission governs requests on this route: the API but for event streams and the waiting room. */
    static boolean governs(Route route) {
        return route.isApi() && route.admission() != Route.Admission.UNCOUNTED;
    }

    @Override
    public int getOrder() {
        return FilterOrder.ADMISSION;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Route route = Routes.of(exchange);
        if (!properties.isEnabled() || !governs(route)) {
            return chain.filter(exchange);
        }
        Caller caller = Caller.of(exchange);
        Priority priority = Priority.of(route, caller);
        if (!room.serves(caller)) {
            return limit(exchange, chain, caller, priority);
        }
        String header = exchange.getRequest().getHeaders().getFirst(WaitingRoom.TICKET_HEADER);
        WaitingRoom.Presented held = header != null ? room.presented(header, caller) : null;
        if (held != null && held.admitted()) {
            // Admitted from the queue: in ahead of new arrivals of every customer class, not into the agents' reserve.
            PriorityLimiter.Permit permit = limiter.tryAcquire(WaitingRoom.holderPriority(priority));
            if (permit == null) {
                metrics.shed(priority);
                return waitingRoom(exchange, room.place(held.ticket()));
            }
            room.used(held.ticket());
            metrics.admitted(priority);
            return admitted(exchange, chain, permit);
        }
        if (held != null) { // still waiting: keeps its place, and Redis is not asked
            metrics.shed(priority);
            return waitingRoom(exchange, room.place(held.ticket()));
        }
        if (room.queues(priority) && !room.full()) {
            // Customers of this class (or a higher one) are waiting: a new arrival queues behind them. Without Redis
            // there is no queue to join, and with the queue full none to join either: the limiter alone decides.
            return room.issue(caller, priority)
                    .map(place -> {
                        metrics.shed(priority);
                        return waitingRoom(exchange, place);
                    })
                    .defaultIfEmpty(Mono.defer(() -> limit(exchange, chain, caller, priority)))
                    .flatMap(answer -> answer);
        }
        return limit(exchange, chain, caller, priority);
    }

    private Mono<Void> limit(ServerWebExchange exchange, WebFilterChain chain, Caller caller, Priority priority) {
        PriorityLimiter.Permit permit = limiter.tryAcquire(priority);
        if (permit == null) {
            metrics.shed(priority);
            if (!room.serves(caller)) {
                return shed(exchange);
            }
            return room.issue(caller, priority)
                    .map(place -> waitingRoom(exchange, place))
                    .defaultIfEmpty(Mono.defer(() -> shed(exchange)))
                    .flatMap(answer -> answer);
        }
        metrics.admitted(priority);
        return admitted(exchange, chain, permit);
    }

    private Mono<Void> admitted(ServerWebExchange exchange, WebFilterChain chain, PriorityLimiter.Permit permit) {
        return chain.filter(exchange)
                .doOnError(e -> {
                    if (e instanceof BackOfficeException b && b.isTimeout()) { // a write timed out too
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

    /** 503 with a place in the waiting room: the ticket in the body and in a header, and when to look again. */
    private Mono<Void> waitingRoom(ServerWebExchange exchange, WaitingRoom.Place place) {
        long refresh = place.refreshSeconds();
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(refresh));
        headers.set(WaitingRoom.TICKET_HEADER, place.ticket());
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, "waiting-room",
                "Service Unavailable", "Surge is at capacity, and you have a place in the waiting room. Follow it at "
                        + WaitingRoomController.PATH + "/{ticket}, then retry with the ticket in the "
                        + WaitingRoom.TICKET_HEADER + " header once admitted.");
        problem.setProperty("ticket", place.ticket());
        problem.setProperty("position", place.position());
        problem.setProperty("estimatedWaitSeconds", place.estimatedWaitSeconds());
        problem.setProperty("refreshSeconds", refresh);
        return problems.write(exchange, problem);
    }

    private Mono<Void> shed(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        return problems.write(exchange, shedProblem);
    }
}
