package dev.surge.gateway.escalation;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.core.Traces;
import dev.surge.gateway.idempotency.IdempotencyKeys;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.queue.CustomerQueue;
import dev.surge.gateway.queue.Escalation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The customer side: create (202 with an Idempotency-Key), read, follow as SSE, give up. A customer only ever reaches
 * their own escalations, and a phone system only those it submitted: anything else is 404, exactly like a missing one.
 * An escalation accepted into this instance's spool (Redis away) reads as its 202 said, {@code queued} (or
 * {@code callback_scheduled}) without a position, until the replay puts it in the queue and Redis answers for it.
 */
@RestController
@RequestMapping("/api/v1/escalations")
class EscalationController {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Position updates (the queue moving ahead of a customer) are sent at most this often per stream. */
    private static final Duration QUEUE_MOVES = Duration.ofSeconds(1);

    private final EscalationIntake intake;
    private final CustomerQueue queue;
    private final EscalationMetrics metrics;
    private final EscalationProperties properties;
    private final JsonMapper json;
    private final Clock clock;

    EscalationController(EscalationIntake intake, CustomerQueue queue, EscalationMetrics metrics,
                         EscalationProperties properties, JsonMapper json, Clock clock) {
        this.intake = intake;
        this.queue = queue;
        this.metrics = metrics;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    /**
     * {@code POST /api/v1/escalations}, routed as a function ({@link EscalationConfiguration#escalationCreateRoute}):
     * it is the hot write path, and the annotated handler's argument resolvers and result handling cost about a
     * tenth of a create (docs/benchmarks.md). Other methods are 405 and a Content-Type other than JSON is 415, as
     * the annotated mapping answered.
     */
    Mono<ServerResponse> create(ServerRequest http) {
        if (http.method() != HttpMethod.POST) {
            return Mono.error(new MethodNotAllowedException(http.method(), Set.of(HttpMethod.POST)));
        }
        MediaType type = http.headers().contentType().orElse(null);
        if (type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
            return Mono.error(type == null
                    ? new UnsupportedMediaTypeStatusException("Content-Type is required", List.of(
                            MediaType.APPLICATION_JSON))
                    : new UnsupportedMediaTypeStatusException(type, List.of(MediaType.APPLICATION_JSON)));
        }
        String key = http.headers().firstHeader(IdempotencyKeys.HEADER);
        return http.bodyToMono(JsonNode.class).map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(body -> {
                    Caller caller = caller(http.exchange());
                    String idempotencyKey = IdempotencyKeys.required(key);
                    EscalationRequest parsed = EscalationRequest.parse(body.orElse(null), caller, clock.instant());
                    return intake.create(caller, idempotencyKey, parsed, Traces.traceId(http.exchange()));
                })
                .flatMap(answer -> ServerResponse.status(HttpStatus.ACCEPTED)
                        .location(URI.create("/api/v1/escalations/" + answer.created().id()))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(json.writeValueAsBytes(answer.created())));
    }

    @GetMapping("/{id}")
    Mono<CustomerView> get(ServerWebExchange exchange, @PathVariable String id) {
        return find(caller(exchange), id).map(CustomerView::of);
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> abandon(ServerWebExchange exchange, @PathVariable String id) {
        Caller caller = caller(exchange);
        if (!ID.matcher(id).matches()) {
            return Mono.error(SurgeException.notFound("Escalation"));
        }
        Escalation spooled = intake.spooled(id);
        if (spooled != null) {
            // Spooled here while Redis was away and not replayed yet: Redis cannot finish what it does not hold, and
            // the spool is append-only. The customer retries once the replay has put it in the queue.
            return Mono.error(Ownership.owns(caller, spooled) ? notQueuedYet()
                    : SurgeException.notFound("Escalation"));
        }
        return queue.abandon(id, Ownership.field(caller), Ownership.value(caller), clock.millis())
                .onErrorMap(e -> !(e instanceof SurgeException), e -> unavailable())
                .map(outcome -> switch (outcome) {
                    case ABANDONED -> {
                        metrics.abandoned();
                        yield ResponseEntity.noContent().<Void>build();
                    }
                    case ALREADY_FINISHED -> throw new SurgeException(HttpStatus.CONFLICT, "escalation-resolved",
                            "Conflict", "This escalation is already resolved.");
                    case NOT_FOUND -> throw SurgeException.notFound("Escalation");
                });
    }

    /**
     * Moves a waiting callback to a new window ({@code {"contact": {"method":"callback", "phone", "windowStart",
     * "windowEnd"}}}, validated as at creation): it keeps its place and is offered to agents once the new window
     * opens. 409 once an agent holds it or it is finished; to cancel it, DELETE it.
     */
    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<CustomerView> reschedule(ServerWebExchange exchange, @PathVariable String id, @RequestBody JsonNode body) {
        Caller caller = caller(exchange);
        if (!ID.matcher(id).matches()) {
            return Mono.error(SurgeException.notFound("Escalation"));
        }
        Escalation.Contact contact = EscalationRequest.rescheduled(body, clock.instant());
        Escalation spooled = intake.spooled(id);
        if (spooled != null) { // as for DELETE: Redis cannot change what it does not hold yet
            return Mono.error(Ownership.owns(caller, spooled) ? notQueuedYet()
                    : SurgeException.notFound("Escalation"));
        }
        long opensAt = java.util.Objects.requireNonNull(contact.windowStart()).toEpochMilli();
        return queue.reschedule(id, Ownership.field(caller), Ownership.value(caller), json.writeValueAsString(contact),
                        opensAt)
                .onErrorMap(e -> !(e instanceof SurgeException), e -> unavailable())
                .flatMap(outcome -> switch (outcome) {
                    case RESCHEDULED -> find(caller, id).map(CustomerView::of);
                    case NOT_WAITING -> Mono.error(new SurgeException(HttpStatus.CONFLICT, "escalation-state",
                            "Conflict", "Only a callback still waiting for its window can be moved."));
                    case NOT_FOUND -> Mono.error(SurgeException.notFound("Escalation"));
                });
    }

    /**
     * The escalation now, then again on every change of it (from any instance), and when the queue moves ahead of it
     * (at most once a second); ends after it is resolved or abandoned. Keep-alive comments keep proxies from closing
     * a quiet stream.
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<CustomerView>> events(ServerWebExchange exchange, @PathVariable String id) {
        Caller caller = caller(exchange);
        Flux<CustomerQueue.Change> all = queue.changes();
        // Listening starts before the first read, so no change can fall between the two.
        Flux<Object> triggers = Flux.merge(
                all.filter(change -> change.id().equals(id)),
                all.filter(change -> !change.id().equals(id)).sample(QUEUE_MOVES),
                Mono.just("now"));
        Flux<ServerSentEvent<CustomerView>> views = triggers
                .concatMap(trigger -> find(caller, id).map(CustomerView::of))
                .distinctUntilChanged()
                .takeUntil(view -> view.status().isFinal())
                .map(view -> ServerSentEvent.builder(view).event("escalation").build());
        return views.publish(shared -> Flux.merge(shared, Flux.interval(properties.sseHeartbeat())
                .map(tick -> ServerSentEvent.<CustomerView>builder().comment("keep-alive").build())
                .takeUntilOther(shared.ignoreElements())));
    }

    private Mono<Escalation> find(Caller caller, String id) {
        if (!ID.matcher(id).matches()) {
            return Mono.error(SurgeException.notFound("Escalation"));
        }
        // Read before Redis: the replay drops it only once Redis holds it, so one of the two always knows it.
        Escalation spooled = intake.spooled(id);
        return queue.find(id, clock.millis())
                .onErrorResume(e -> spooled != null && !(e instanceof SurgeException), e -> Mono.empty())
                .onErrorMap(e -> !(e instanceof SurgeException), e -> unavailable())
                .switchIfEmpty(Mono.justOrEmpty(spooled))
                .filter(escalation -> Ownership.owns(caller, escalation))
                .switchIfEmpty(Mono.defer(() -> Mono.error(SurgeException.notFound("Escalation"))));
    }

    /**
     * The caller Spring Security let in: a customer or a phone system whose token verified in full
     * ({@code security.CallerWebFilter} resolved it from the same token, with the same decoder).
     */
    private static Caller caller(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        if (caller.id() == null) {
            throw new SurgeException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                    "A valid bearer token is required.");
        }
        return caller;
    }

    private SurgeException notQueuedYet() {
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, "escalation-unavailable",
                "Service Unavailable", "Your escalation is still being put in the queue. Please try again shortly.");
        return new SurgeException(problem, SurgeException.retryAfter(properties.spoolReplayInterval()), null);
    }

    static SurgeException unavailable() {
        return new SurgeException(HttpStatus.SERVICE_UNAVAILABLE, "escalation-unavailable", "Service Unavailable",
                "Escalations cannot be read right now. Please try again shortly.");
    }
}
