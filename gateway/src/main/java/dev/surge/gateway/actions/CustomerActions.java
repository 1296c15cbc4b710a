package dev.surge.gateway.actions;

import java.time.Clock;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import reactor.core.publisher.Mono;

import dev.surge.gateway.backoffice.BackOfficeException;
import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.idempotency.IdempotentWrites;
import dev.surge.gateway.identity.Tier;
import dev.surge.gateway.journey.Journeys;
import dev.surge.gateway.queue.EscalationQueue;
import dev.surge.gateway.route.Routes;
import dev.surge.gateway.selfservice.CustomerReads;
import tools.jackson.databind.json.JsonMapper;

/**
 * Does a self-service write the way every action is done, for a customer or an agent on their behalf:
 * <ol>
 *   <li>once per Idempotency-Key ({@link IdempotentWrites}): a retry gets the first answer, the key passed on to the
 *       back office so its retry is safe too; never retried by the gateway;</li>
 *   <li>through the dependency's breaker, bulkhead and time limit (the back-office client's {@code forWrite});</li>
 *   <li>read your writes: before it answers, what it changed is evicted from the cache everywhere;</li>
 *   <li>when self-service cannot do it (a rule refuses it, or the back office fails), the problem carries a prefilled
 *       escalation the app can send at once; an outcome nobody knows (timeout) says to retry with the same key;</li>
 *   <li>an agent's action is recorded in the customer's journey and on the escalation, with the agent's id.</li>
 * </ol>
 * A customer's own attempts, failed ones included, are in their journey through the route table (the journey filter).
 */
final class CustomerActions {

    private static final Logger log = LoggerFactory.getLogger(CustomerActions.class);
    private static final int MAX_MESSAGE = 2000;

    private final IdempotentWrites writes;
    private final CustomerReads reads;
    private final ProblemResponses problems;
    private final Journeys journeys;
    private final EscalationQueue queue;
    private final ActionMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;
    private final List<ActionListener> listeners;

    CustomerActions(IdempotentWrites writes, CustomerReads reads, ProblemResponses problems, Journeys journeys,
                    EscalationQueue queue, ActionMetrics metrics, JsonMapper json, Clock clock,
                    List<ActionListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.writes = writes;
        this.reads = reads;
        this.problems = problems;
        this.journeys = journeys;
        this.queue = queue;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    /**
     * One write, as the customer API names it.
     *
     * @param path the customer API's path of the action (also for an agent's, so the journey reads alike)
     * @param body the request body as sent, for the Idempotency-Key's fingerprint
     * @param call the back-office write, and what its answer shows
     */
    record Write(Action action, Actor actor, Tier tier, @Nullable String orderId, HttpMethod method, String path,
                 byte[] body, String idempotencyKey, int successStatus, Supplier<Mono<Result>> call) {
    }

    /**
     * What a done write answers: its body, and the {@code Location} and {@code ETag} when it has them; {@code value}
     * what it was worth (a refund) for business rules.
     */
    record Result(Object body, @Nullable String location, @Nullable String etag, @Nullable BigDecimal value) {

        static Result of(Object body) {
            return new Result(body, null, null, null);
        }
    }

    Mono<IdempotentWrites.Answer> perform(Write write) {
        String fingerprint = IdempotentWrites.fingerprint(write.method().name(), write.path(), write.body());
        return writes.once(write.actor().idempotencyScope(), write.idempotencyKey(), fingerprint, () -> write.call()
                        .get()
                        .flatMap(result -> forget(write).thenReturn(result))
                        .map(result -> {
                            count(write, ActionMetrics.Outcome.DONE, null, result.value());
                            return success(write, result);
                        })
                        .onErrorResume(BackOfficeException.class, e -> decided(e)
                                ? forget(write).then(Mono.fromSupplier(() -> refusal(write, e)))
                                : Mono.error(failure(write, e))))
                .flatMap(answer -> onBehalf(write, answer.status()).thenReturn(answer))
                .onErrorResume(SurgeException.class, e -> onBehalf(write, e.getStatusCode().value())
                        .then(Mono.error(e)));
    }

    /** A refusal the back office decided (its rules, the order's state, bad fields, not found): a final answer. */
    private static boolean decided(BackOfficeException e) {
        return e.kind() == BackOfficeException.Kind.REFUSED || e.kind() == BackOfficeException.Kind.NOT_FOUND;
    }

    private IdempotentWrites.Answer success(Write write, Result result) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
        if (result.location() != null) {
            headers.put(HttpHeaders.LOCATION, result.location());
        }
        if (result.etag() != null) {
            headers.put(HttpHeaders.ETAG, result.etag());
        }
        return new IdempotentWrites.Answer(write.successStatus(), headers, json.writeValueAsBytes(result.body()));
    }

    /** The back office said no: the same status and type, with what the app needs to offer a person. */
    private IdempotentWrites.Answer refusal(Write write, BackOfficeException e) {
        int status = e.getStatusCode().value();
        ProblemDetail problem = e.getBody();
        count(write, ActionMetrics.Outcome.REFUSED, slug(problem), null);
        if (status == 409 || status == 422) {
            offer(problem, write);
        }
        return new IdempotentWrites.Answer(status,
                Map.of(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE),
                problems.encode(problem, write.path()));
    }

    /** The back office failed or could not be asked: not stored (the key is let go), with the offer. */
    private SurgeException failure(Write write, BackOfficeException e) {
        ProblemDetail problem = e.getBody();
        count(write, e.kind() == BackOfficeException.Kind.OUTCOME_UNKNOWN || e.isTimeout()
                ? ActionMetrics.Outcome.UNKNOWN : ActionMetrics.Outcome.FAILED, slug(problem), null);
        offer(problem, write);
        return new SurgeException(problem, e.getHeaders(), e);
    }

    /**
     * "Talk to a person", prefilled: the escalation the app can send at once (reason, order, what was tried and why
     * it failed) and where to send it. Not for agents: they are the person.
     */
    private void offer(ProblemDetail problem, Write write) {
        if (write.actor().isAgent()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", write.action().escalationReason());
        if (write.orderId() != null) {
            body.put("orderId", write.orderId());
        }
        body.put("channel", write.actor().channel());
        String tried = "Self-service " + write.action().wire().replace('-', ' ')
                + (write.orderId() != null ? " of order " + write.orderId() : "") + " did not work: "
                + problem.getDetail();
        body.put("message", tried.length() > MAX_MESSAGE ? tried.substring(0, MAX_MESSAGE) : tried);
        Map<String, Object> escalation = new LinkedHashMap<>();
        escalation.put("method", "POST");
        escalation.put("href", Routes.ESCALATE.template());
        escalation.put("body", body);
        problem.setProperty("escalation", escalation);
    }

    /** Forgets what the write may have changed (also after a refusal: the cached state was out of date). */
    private Mono<Void> forget(Write write) {
        String customer = write.actor().customerId();
        Mono<Void> forget = write.orderId() != null ? reads.forgetOrder(customer, write.orderId())
                : reads.forgetProfile(customer);
        // Redis away: the near caches still drop it by TTL; the write is done and must be answered.
        return forget.onErrorResume(e -> {
            log.warn("could not evict after a {}: {}", write.action().wire(), e.toString());
            return Mono.empty();
        });
    }

    /** An agent's action: in the customer's journey and on the escalation. Best effort; the action stands. */
    private Mono<Void> onBehalf(Write write, int status) {
        Actor actor = write.actor();
        if (!actor.isAgent() || actor.agentId() == null || actor.escalationId() == null) {
            return Mono.empty();
        }
        long now = clock.millis();
        journeys.recordOnBehalf(actor.customerId(), actor.agentId(), write.method().name(), write.path(), status, now);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", Instant.ofEpochMilli(now).toString());
        entry.put("agentId", actor.agentId());
        entry.put("action", write.action().wire());
        if (write.orderId() != null) {
            entry.put("orderId", write.orderId());
        }
        entry.put("status", status);
        return queue.recordAction(actor.escalationId(), json.writeValueAsString(entry))
                .onErrorResume(e -> {
                    log.warn("could not record an agent's action on escalation {}: {}", actor.escalationId(),
                            e.toString());
                    return Mono.empty();
                });
    }

    /** Counts the outcome and tells the listeners (business notifications); a listener never breaks the action. */
    private void count(Write write, ActionMetrics.Outcome outcome, @Nullable String reason,
                       @Nullable BigDecimal value) {
        metrics.record(write.action(), outcome, write.actor().channel(), write.tier());
        if (listeners.isEmpty()) {
            return;
        }
        Actor actor = write.actor();
        ActionEvent event = new ActionEvent(write.action().wire(), outcome.name().toLowerCase(java.util.Locale.ROOT),
                reason, actor.customerId(), write.tier(), actor.channel(), write.orderId(), value, actor.agentId(),
                Instant.ofEpochMilli(clock.millis()));
        for (ActionListener listener : listeners) {
            try {
                listener.acted(event);
            } catch (RuntimeException e) {
                log.warn("action listener failed: {}", e.toString());
            }
        }
    }

    private static @Nullable String slug(ProblemDetail problem) {
        String type = problem.getType().toString();
        return type.substring(type.lastIndexOf('/') + 1);
    }
}
