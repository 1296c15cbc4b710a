package dev.surge.gateway.escalation;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.SurgeException;
import tools.jackson.databind.JsonNode;

/**
 * The customer side: create (202 with an Idempotency-Key), read, follow as SSE, give up. A customer only ever reaches
 * their own escalations, and a phone system only those it submitted: anything else is 404, exactly like a missing one.
 * An escalation accepted into this instance's spool (Redis away) reads as its 202 said, {@code queued} (or
 * {@code callback_scheduled}) without a position, until the replay puts it in the queue and Redis answers for it.
 */
@RestController
@RequestMapping("/api/v1/escalations")
class EscalationController {

    /** IETF draft-ietf-httpapi-idempotency-key-header. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Position updates (the queue moving ahead of a customer) are sent at most this often per stream. */
    private static final Duration QUEUE_MOVES = Duration.ofSeconds(1);

    private final EscalationIntake intake;
    private final EscalationRepository repository;
    private final EscalationChanges changes;
    private final EscalationMetrics metrics;
    private final EscalationProperties properties;
    private final Clock clock;

    EscalationController(EscalationIntake intake, EscalationRepository repository, EscalationChanges changes,
                         EscalationMetrics metrics, EscalationProperties properties, Clock clock) {
        this.intake = intake;
        this.repository = repository;
        this.changes = changes;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Created>> create(@AuthenticationPrincipal Jwt token,
                                         @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String key,
                                         @RequestBody(required = false) @Nullable JsonNode body) {
        Caller caller = Caller.of(token);
        String idempotencyKey = idempotencyKey(key);
        EscalationRequest request = EscalationRequest.parse(body, caller, clock.instant());
        return intake.create(caller, idempotencyKey, request)
                .map(answer -> ResponseEntity.status(HttpStatus.ACCEPTED)
                        .location(URI.create("/api/v1/escalations/" + answer.created().id()))
                        .body(answer.created()));
    }

    @GetMapping("/{id}")
    Mono<CustomerView> get(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        return find(Caller.of(token), id).map(CustomerView::of);
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> abandon(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        Caller caller = Caller.of(token);
        if (!ID.matcher(id).matches()) {
            return Mono.error(SurgeException.notFound("Escalation"));
        }
        return repository.finish(id, "abandon", caller.ownerField(), caller.ownerValue(), clock.millis(), null, null)
                .onErrorMap(e -> !(e instanceof SurgeException), e -> unavailable())
                .map(outcome -> switch (outcome.code()) {
                    case "ok" -> {
                        metrics.abandoned();
                        yield ResponseEntity.noContent().<Void>build();
                    }
                    case "state" -> throw new SurgeException(HttpStatus.CONFLICT, "escalation-resolved", "Conflict",
                            "This escalation is already resolved.");
                    default -> throw SurgeException.notFound("Escalation");
                });
    }

    /**
     * The escalation now, then again on every change of it (from any instance), and when the queue moves ahead of it
     * (at most once a second); ends after it is resolved or abandoned. Keep-alive comments keep proxies from closing
     * a quiet stream.
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<CustomerView>> events(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        Caller caller = Caller.of(token);
        Flux<EscalationChanges.Change> all = changes.changes();
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
        return views.publish(shared -> Flux.merge(shared, Flux.interval(properties.getSseHeartbeat())
                .map(tick -> ServerSentEvent.<CustomerView>builder().comment("keep-alive").build())
                .takeUntilOther(shared.ignoreElements())));
    }

    private Mono<Escalation> find(Caller caller, String id) {
        if (!ID.matcher(id).matches()) {
            return Mono.error(SurgeException.notFound("Escalation"));
        }
        // Read before Redis: the replay drops it only once Redis holds it, so one of the two always knows it.
        Escalation spooled = intake.spooled(id);
        return repository.find(id, false, clock.millis())
                .onErrorResume(e -> spooled != null && !(e instanceof SurgeException), e -> Mono.empty())
                .onErrorMap(e -> !(e instanceof SurgeException), e -> unavailable())
                .switchIfEmpty(Mono.justOrEmpty(spooled))
                .filter(caller::owns)
                .switchIfEmpty(Mono.defer(() -> Mono.error(SurgeException.notFound("Escalation"))));
    }

    private static String idempotencyKey(@Nullable String header) {
        if (header == null || header.isBlank()) {
            throw SurgeException.badRequest("The Idempotency-Key header is required (any unique value, such as a "
                    + "UUID, reused only for retries of the same request).");
        }
        // The draft makes it a Structured Field string ("..."); a bare token is accepted too.
        String key = header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                ? header.substring(1, header.length() - 1) : header;
        if (!KEY.matcher(key).matches()) {
            throw SurgeException.badRequest("The Idempotency-Key must be 1-255 visible ASCII characters.");
        }
        return key;
    }

    static SurgeException unavailable() {
        return new SurgeException(HttpStatus.SERVICE_UNAVAILABLE, "escalation-unavailable", "Service Unavailable",
                "Escalations cannot be read right now. Please try again shortly.");
    }
}
