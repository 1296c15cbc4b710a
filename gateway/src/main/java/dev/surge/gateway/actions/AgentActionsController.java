package dev.surge.gateway.actions;

import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.idempotency.IdempotencyKeys;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.queue.Escalation;
import dev.surge.gateway.queue.EscalationQueue;
import dev.surge.gateway.queue.EscalationStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same actions, done by an agent for the customer of the escalation they hold (accepted, and theirs): the body
 * names the order ({@code orderId}) besides what the customer API's body holds. Any other customer, or an escalation
 * the agent does not hold, is 403. Each is recorded with the agent's id in the customer's journey and on the
 * escalation, so the next agent sees what the last one did.
 */
@RestController
@RequestMapping("/api/v1/agent/escalations/{id}")
class AgentActionsController {

    private final CustomerActions actions;
    private final EscalationQueue queue;
    private final BackOfficeClient backOffice;
    private final JsonMapper json;

    AgentActionsController(CustomerActions actions, EscalationQueue queue, BackOfficeClient backOffice,
                           JsonMapper json) {
        this.actions = actions;
        this.queue = queue;
        this.backOffice = backOffice;
        this.json = json;
    }

    @PostMapping(path = "/returns", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> createReturn(ServerWebExchange exchange, @PathVariable String id,
                                              @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                              @Nullable String key, @RequestBody byte[] body) {
        String idempotencyKey = IdempotencyKeys.required(key);
        JsonNode tree = tree(body);
        String orderId = ActionRequests.orderId(tree);
        var request = ActionRequests.returnRequest(tree);
        return held(exchange, id, escalation -> write(Action.RETURN, escalation, exchange, orderId,
                HttpMethod.POST, "/returns", body, idempotencyKey, HttpStatus.CREATED,
                backOfficeKey -> backOffice.createReturn(escalation.customerId(), orderId, request, backOfficeKey)
                        .map(created -> new CustomerActions.Result(created, null, null, created.refund().amount()))));
    }

    @PostMapping(path = "/cancellation", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> cancel(ServerWebExchange exchange, @PathVariable String id,
                                        @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                        @Nullable String key, @RequestBody byte[] body) {
        String idempotencyKey = IdempotencyKeys.required(key);
        JsonNode tree = tree(body);
        String orderId = ActionRequests.orderId(tree);
        var request = ActionRequests.cancellation(tree);
        return held(exchange, id, escalation -> write(Action.CANCELLATION, escalation, exchange, orderId,
                HttpMethod.POST, "/cancellation", body, idempotencyKey, HttpStatus.OK,
                backOfficeKey -> backOffice.cancelOrder(escalation.customerId(), orderId, request, backOfficeKey)
                        .map(done -> new CustomerActions.Result(done, null, null, done.total()))));
    }

    @PutMapping(path = "/delivery-address", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> changeAddress(ServerWebExchange exchange, @PathVariable String id,
                                               @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                                               @Nullable String key, @RequestBody byte[] body) {
        String idempotencyKey = IdempotencyKeys.required(key);
        JsonNode tree = tree(body);
        String orderId = ActionRequests.orderId(tree);
        var address = ActionRequests.address(tree);
        return held(exchange, id, escalation -> write(Action.ADDRESS_CHANGE, escalation, exchange, orderId,
                HttpMethod.PUT, "/delivery-address", body, idempotencyKey, HttpStatus.OK,
                backOfficeKey -> backOffice.changeDeliveryAddress(escalation.customerId(), orderId, address,
                        backOfficeKey)
                        .map(CustomerActions.Result::of)));
    }

    private Mono<ResponseEntity<byte[]>> write(Action action, Escalation escalation, ServerWebExchange exchange,
                                               String orderId, HttpMethod method, String what, byte[] body,
                                               String idempotencyKey, HttpStatus success,
                                               Function<String, Mono<CustomerActions.Result>> call) {
        String agentId = Objects.requireNonNull(Caller.of(exchange).id());
        Actor actor = Actor.agent(escalation.customerId(), agentId, escalation.id());
        // The customer API's path of the same action, so the customer's journey reads alike whoever did it.
        String path = "/api/v1/me/orders/" + orderId + what;
        return ActionsController.answer(actions.perform(new CustomerActions.Write(action,
                actor, escalation.tier(), orderId, method, path, body, idempotencyKey, success.value(),
                () -> call.apply(actor.backOfficeKey(idempotencyKey)))));
    }

    /** Runs the action if the calling agent holds the escalation now (accepted), else 403 (404 when there is none). */
    private Mono<ResponseEntity<byte[]>> held(ServerWebExchange exchange, String id,
                                              Function<Escalation, Mono<ResponseEntity<byte[]>>> action) {
        Caller agent = Caller.of(exchange);
        return queue.find(id).flatMap(escalation -> {
            if (agent.kind() != Caller.Kind.AGENT || escalation.status() != EscalationStatus.ASSIGNED
                    || !Objects.equals(escalation.agentId(), agent.id())) {
                return Mono.error(new SurgeException(HttpStatus.FORBIDDEN, "not-holder", "Forbidden",
                        "Only the agent who accepted this escalation may act for its customer."));
            }
            return action.apply(escalation);
        });
    }

    private JsonNode tree(byte[] body) {
        try {
            return json.readTree(body);
        } catch (RuntimeException e) {
            throw SurgeException.badRequest("The body is not valid JSON.");
        }
    }
}
