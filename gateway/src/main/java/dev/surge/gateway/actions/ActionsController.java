package dev.surge.gateway.actions;

import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.backoffice.ContactPreferences;
import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.idempotency.IdempotencyKeys;
import dev.surge.gateway.idempotency.IdempotentWrites;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.selfservice.Ids;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The customer's actions on their own orders and profile: return lines, cancel, change the delivery address,
 * replace the contact preferences. Every POST needs an Idempotency-Key; the PUTs may send one (else the request
 * itself is the key: the same PUT twice is one change). The customer is the token's, never a parameter, and
 * another customer's order answers 404 exactly like a missing one (the back office scopes by customer).
 */
@RestController
@RequestMapping("/api/v1/me")
class ActionsController {

    private final CustomerActions actions;
    private final BackOfficeClient backOffice;
    private final JsonMapper json;

    ActionsController(CustomerActions actions, BackOfficeClient backOffice, JsonMapper json) {
        this.actions = actions;
        this.backOffice = backOffice;
        this.json = json;
    }

    @PostMapping(path = "/orders/{orderId}/returns", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> createReturn(ServerWebExchange exchange, @PathVariable String orderId,
                                              @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                              @Nullable String key,
                                              @RequestBody(required = false) byte @Nullable [] body) {
        Caller caller = customer(exchange);
        String order = Ids.orderId(orderId);
        String idempotencyKey = IdempotencyKeys.required(key);
        var request = ActionRequests.returnRequest(tree(body));
        Actor actor = actor(exchange, caller);
        return answer(actions.perform(new CustomerActions.Write(Action.RETURN, actor, caller.tier(),
                order, HttpMethod.POST, exchange.getRequest().getPath().value(), bytes(body), idempotencyKey,
                HttpStatus.CREATED.value(),
                () -> backOffice.createReturn(caller.id(), order, request, actor.backOfficeKey(idempotencyKey))
                        .map(created -> new CustomerActions.Result(created, "/api/v1/me/returns/" + created.rma(),
                                null, created.refund().amount())))));
    }

    @PostMapping(path = "/orders/{orderId}/cancellation")
    Mono<ResponseEntity<byte[]>> cancel(ServerWebExchange exchange, @PathVariable String orderId,
                                        @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                        @Nullable String key, @RequestBody(required = false) byte @Nullable [] body) {
        Caller caller = customer(exchange);
        String order = Ids.orderId(orderId);
        String idempotencyKey = IdempotencyKeys.required(key);
        var request = ActionRequests.cancellation(body == null || body.length == 0 ? null : tree(body));
        Actor actor = actor(exchange, caller);
        return answer(actions.perform(new CustomerActions.Write(Action.CANCELLATION, actor,
                caller.tier(), order, HttpMethod.POST, exchange.getRequest().getPath().value(), bytes(body),
                idempotencyKey, HttpStatus.OK.value(),
                () -> backOffice.cancelOrder(caller.id(), order, request, actor.backOfficeKey(idempotencyKey))
                        .map(done -> new CustomerActions.Result(done, null, null, done.total())))));
    }

    @PutMapping(path = "/orders/{orderId}/delivery-address", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> changeAddress(ServerWebExchange exchange, @PathVariable String orderId,
                                               @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                               @Nullable String key,
                                               @RequestBody(required = false) byte @Nullable [] body) {
        Caller caller = customer(exchange);
        String order = Ids.orderId(orderId);
        var address = ActionRequests.address(tree(body));
        String path = exchange.getRequest().getPath().value();
        String idempotencyKey = key != null ? IdempotencyKeys.required(key)
                : IdempotentWrites.fingerprint("PUT", path, bytes(body));
        Actor actor = actor(exchange, caller);
        return answer(actions.perform(new CustomerActions.Write(Action.ADDRESS_CHANGE, actor,
                caller.tier(), order, HttpMethod.PUT, path, bytes(body), idempotencyKey, HttpStatus.OK.value(),
                () -> backOffice.changeDeliveryAddress(caller.id(), order, address, actor.backOfficeKey(idempotencyKey))
                        .map(CustomerActions.Result::of))));
    }

    /** The contact preferences with their version as {@code ETag}, to send back as {@code If-Match}. */
    @GetMapping("/preferences")
    Mono<ResponseEntity<ContactPreferences>> preferences(ServerWebExchange exchange) {
        Caller caller = customer(exchange);
        return backOffice.contactPreferences(caller.id())
                .map(versioned -> ResponseEntity.ok().eTag(versioned.etag()).body(versioned.value()));
    }

    /** Replaces the preferences if nobody changed them since the {@code If-Match} version (else 412). */
    @PutMapping(path = "/preferences", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> replacePreferences(ServerWebExchange exchange,
                                                    @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
                                                    @Nullable String ifMatch,
                                                    @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                                    @Nullable String key,
                                                    @RequestBody(required = false) byte @Nullable [] body) {
        Caller caller = customer(exchange);
        if (ifMatch == null || ifMatch.isBlank()) {
            return Mono.error(new SurgeException(HttpStatus.PRECONDITION_REQUIRED, "precondition-required",
                    "Precondition Required", "Send the preferences' ETag as If-Match, so a change made meanwhile "
                            + "is not overwritten."));
        }
        var preferences = ActionRequests.preferences(tree(body), json);
        String path = exchange.getRequest().getPath().value();
        byte[] identity = (ifMatch + '\n' + new String(bytes(body), java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String idempotencyKey = key != null ? IdempotencyKeys.required(key)
                : IdempotentWrites.fingerprint("PUT", path, identity);
        Actor actor = actor(exchange, caller);
        return answer(actions.perform(new CustomerActions.Write(Action.PREFERENCES, actor,
                caller.tier(), null, HttpMethod.PUT, path, identity, idempotencyKey, HttpStatus.OK.value(),
                () -> backOffice.replaceContactPreferences(caller.id(), preferences, ifMatch,
                        actor.backOfficeKey(idempotencyKey))
                        .map(replaced -> new CustomerActions.Result(replaced.value(), null, replaced.etag(), null)))));
    }

    static Mono<ResponseEntity<byte[]>> answer(Mono<IdempotentWrites.Answer> answer) {
        return answer.map(a -> {
            ResponseEntity.BodyBuilder response = ResponseEntity.status(a.status());
            a.headers().forEach(response::header);
            return response.body(a.body());
        });
    }

    private static Caller customer(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        if (caller.kind() != Caller.Kind.CUSTOMER || caller.id() == null) {
            // Spring Security lets only customers in here; CallerWebFilter resolved them from the same token.
            throw new SurgeException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                    "A valid customer token is required.");
        }
        return caller;
    }

    private static Actor actor(ServerWebExchange exchange, Caller caller) {
        String channel = exchange.getRequest().getHeaders().getFirst(Caller.CHANNEL_HEADER);
        return Actor.customer(java.util.Objects.requireNonNull(caller.id()),
                channel != null && "mobile".equals(channel.toLowerCase(Locale.ROOT)) ? "mobile" : "web");
    }

    private JsonNode tree(byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            throw SurgeException.badRequest("A JSON body is required.");
        }
        try {
            return json.readTree(body);
        } catch (RuntimeException e) {
            throw SurgeException.badRequest("The body is not valid JSON.");
        }
    }

    private static byte[] bytes(byte @Nullable [] body) {
        return body != null ? body : new byte[0];
    }
}
