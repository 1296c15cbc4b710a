package dev.surge.gateway.escalation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.surge.gateway.backoffice.BackOfficeDependency;
import dev.surge.gateway.backoffice.BackOfficeException;
import dev.surge.gateway.cache.Served;
import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.identity.Tier;
import dev.surge.gateway.journey.Journeys;
import dev.surge.gateway.selfservice.CustomerReads;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assembles the hand-off context an agent sees: profile and tier, account standing, the order in question with its
 * shipment, and the recent self-service journey. Each part is read through the response cache, in parallel, each
 * within the context timeout: what the customer just saw (with its {@code asOf}) when they read it, and a miss loads
 * from the back office once and stays cached for the next escalation, so an escalation storm costs the back office
 * one read per customer and part, not one per escalation. A part that fails is named in {@code missing} and the
 * escalation goes on without it; only an order that is not the customer's (404) stops the request, because then the
 * request itself is wrong.
 */
final class HandOffAssembler {

    private final CustomerReads reads;
    private final Journeys journey;
    private final JsonMapper json;
    private final Duration timeout;
    private final Clock clock;
    private final EscalationMetrics metrics;

    HandOffAssembler(CustomerReads reads, Journeys journey, JsonMapper json, Duration timeout, Clock clock,
                     EscalationMetrics metrics) {
        this.reads = reads;
        this.journey = journey;
        this.json = json;
        this.timeout = timeout;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The context as stored, and the tier it found (standard when the profile is missing). */
    record HandOff(Tier tier, String contextJson) {
    }

    /**
     * @param customerMustExist for phone systems naming a customer: an unknown customer is a 404, not a gap
     */
    Mono<HandOff> assemble(String customer, @Nullable String orderId, boolean customerMustExist) {
        Mono<Optional<JsonNode>> profile = part(CustomerReads.Part.PROFILE, customer, null, customerMustExist);
        Mono<Optional<JsonNode>> account = part(CustomerReads.Part.ACCOUNT, customer, null, false);
        Mono<Optional<JsonNode>> order = orderId == null ? Mono.just(Optional.empty())
                : part(CustomerReads.Part.ORDER, customer, orderId, true);
        // The shipping system knows nothing of customers: asked only once the order proved to be theirs.
        Mono<Optional<JsonNode>> shipment = orderId == null ? Mono.just(Optional.empty())
                : order.flatMap(found -> found.isEmpty() ? Mono.just(Optional.<JsonNode>empty())
                        : part(CustomerReads.Part.SHIPMENT, customer, orderId, false));
        // Bounded by the journey's own Redis timeout, shorter than the context's.
        Mono<List<String>> recent = journey.recent(customer)
                .onErrorResume(e -> Mono.just(List.of(Journeys.MISSING)));
        return Mono.zip(profile, account, shipment.zipWith(order), recent)
                .map(parts -> {
                    ObjectNode context = json.createObjectNode();
                    context.put("assembledAt", Instant.ofEpochMilli(clock.millis()).toString());
                    List<String> missing = new ArrayList<>();
                    put(context, "customer", parts.getT1(), missing);
                    put(context, "account", parts.getT2(), missing);
                    if (orderId != null) {
                        put(context, "order", parts.getT3().getT2(), missing);
                        put(context, "shipment", parts.getT3().getT1(), missing);
                    }
                    ArrayNode steps = context.putArray("journey");
                    if (parts.getT4().contains(Journeys.MISSING)) {
                        missing.add("journey");
                    }
                    parts.getT4().stream().filter(entry -> !Journeys.MISSING.equals(entry))
                            .forEach(entry -> steps.add(json.readTree(entry)));
                    missing.forEach(metrics::contextMissing);
                    context.putPOJO("missing", missing);
                    Tier tier = parts.getT1().map(node -> node.path("tier").asString("standard"))
                            .map(name -> Tier.valueOf(name.toUpperCase(java.util.Locale.ROOT)))
                            .orElse(Tier.STANDARD);
                    return new HandOff(tier, json.writeValueAsString(context));
                });
    }

    private static void put(ObjectNode context, String name, Optional<JsonNode> part, List<String> missing) {
        if (part.isPresent()) {
            context.set(name, part.get());
        } else {
            missing.add(name);
        }
    }

    /**
     * One part, read as the self-service API reads it (so the agent sees what the customer saw). Empty when it failed; a not-found is an error
     * when {@code notFoundIsAnError}, else "no such thing" (also empty, but a shipment that does not exist yet is not
     * "missing": the caller only marks absent parts it expected).
     */
    private Mono<Optional<JsonNode>> part(CustomerReads.Part part, String customer, @Nullable String orderId,
                                          boolean notFoundIsAnError) {
        Served cached = reads.peek(part, customer, orderId);
        if (cached != null) {
            // Answered at once: no timer to arm and cancel (a few microseconds each, several per create).
            return Mono.just(tree(cached));
        }
        return reads.read(part, customer, orderId)
                .map(this::tree)
                .timeout(timeout)
                .onErrorResume(e -> !isNotFound(e) ? Mono.just(Optional.empty())
                        : notFoundIsAnError ? Mono.error(notFound(e))
                        // Known not to exist (an order not shipped yet has no shipment): shown as null, not missing.
                        : Mono.just(Optional.of(NullNode.getInstance())));
    }

    private Optional<JsonNode> tree(Served served) {
        return Optional.of(json.readTree(served.response().body()));
    }

    private static boolean isNotFound(Throwable e) {
        return e instanceof BackOfficeException b ? b.kind() == BackOfficeException.Kind.NOT_FOUND
                : e instanceof SurgeException s && s.getStatusCode().value() == 404;
    }

    private static Throwable notFound(Throwable e) {
        return e instanceof BackOfficeException b && b.dependency() == BackOfficeDependency.CUSTOMERS
                ? SurgeException.notFound("Customer") : SurgeException.notFound("Order");
    }
}
