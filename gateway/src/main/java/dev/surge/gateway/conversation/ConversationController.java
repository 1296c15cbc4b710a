package dev.surge.gateway.conversation;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.identity.Caller;
import tools.jackson.databind.JsonNode;

/**
 * The conversation's API for both sides: {@code /api/v1/escalations/{id}/messages[/events]} for the customer (or the
 * phone system that made the escalation), {@code /api/v1/agent/escalations/{id}/messages[/events]} for the agent
 * holding it. A message is {@code {"text": "..."}}; the SSE event id is the entry id, to send back as
 * {@code Last-Event-ID}.
 */
@RestController
class ConversationController {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final Conversations conversations;
    private final ConversationProperties properties;

    ConversationController(Conversations conversations, ConversationProperties properties) {
        this.conversations = conversations;
        this.properties = properties;
    }

    @GetMapping("/api/v1/escalations/{id}/messages")
    Mono<Map<String, List<Entry>>> customerRead(ServerWebExchange exchange, @PathVariable String id,
                                                @RequestParam(required = false) @Nullable String after) {
        return conversations.read(id, Participant.customerSide(caller(exchange)), after)
                .map(entries -> Map.of("messages", entries));
    }

    @PostMapping(path = "/api/v1/escalations/{id}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Entry>> customerSend(ServerWebExchange exchange, @PathVariable String id,
                                             @RequestBody JsonNode body) {
        return sent(id, conversations.send(id, Participant.customerSide(caller(exchange)), text(body)), false);
    }

    @GetMapping(path = "/api/v1/escalations/{id}/messages/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Entry>> customerFollow(ServerWebExchange exchange, @PathVariable String id,
                                                @RequestHeader(name = LAST_EVENT_ID, required = false)
                                                @Nullable String lastEventId) {
        return events(conversations.follow(id, Participant.customerSide(caller(exchange)), lastEventId));
    }

    @GetMapping("/api/v1/agent/escalations/{id}/messages")
    Mono<Map<String, List<Entry>>> agentRead(ServerWebExchange exchange, @PathVariable String id,
                                             @RequestParam(required = false) @Nullable String after) {
        return conversations.read(id, Participant.agent(caller(exchange)), after)
                .map(entries -> Map.of("messages", entries));
    }

    @PostMapping(path = "/api/v1/agent/escalations/{id}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Entry>> agentSend(ServerWebExchange exchange, @PathVariable String id,
                                          @RequestBody JsonNode body) {
        return sent(id, conversations.send(id, Participant.agent(caller(exchange)), text(body)), true);
    }

    @GetMapping(path = "/api/v1/agent/escalations/{id}/messages/events",
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Entry>> agentFollow(ServerWebExchange exchange, @PathVariable String id,
                                             @RequestHeader(name = LAST_EVENT_ID, required = false)
                                             @Nullable String lastEventId) {
        return events(conversations.follow(id, Participant.agent(caller(exchange)), lastEventId));
    }

    private static Mono<ResponseEntity<Entry>> sent(String id, Mono<Entry> entry, boolean agent) {
        String base = agent ? "/api/v1/agent/escalations/" : "/api/v1/escalations/";
        return entry.map(e -> ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create(base + id + "/messages?after=" + e.id())).body(e));
    }

    /** Entries as SSE (event {@code message} or {@code system}), with keep-alive comments while it is quiet. */
    private Flux<ServerSentEvent<Entry>> events(Flux<Entry> entries) {
        Flux<ServerSentEvent<Entry>> events = entries.map(entry -> ServerSentEvent.builder(entry).id(entry.id())
                .event(Entry.SYSTEM.equals(entry.from()) ? "system" : "message").build());
        return events.publish(shared -> Flux.merge(shared, Flux.interval(properties.sseHeartbeat())
                .map(tick -> ServerSentEvent.<Entry>builder().comment("keep-alive").build())
                .takeUntilOther(shared.ignoreElements())));
    }

    private static @Nullable String text(JsonNode body) {
        JsonNode text = body.get("text");
        return text != null && text.isString() ? text.asString() : null;
    }

    private static Caller caller(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        if (caller.id() == null) {
            throw new SurgeException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                    "A valid bearer token is required.");
        }
        return caller;
    }
}
