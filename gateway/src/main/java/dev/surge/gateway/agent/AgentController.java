package dev.surge.gateway.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.queue.Escalation;
import dev.surge.gateway.queue.EscalationQueue;
import dev.surge.gateway.queue.Skill;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent API (role agent): claim the best waiting escalation as a reservation, then accept, decline, transfer or
 * resolve it; queue figures and their live feed. Every call counts as the agent's heartbeat.
 */
@RestController
@RequestMapping("/api/v1/agent")
class AgentController {

    private static final int MAX_NOTE = 4000;

    private final EscalationQueue queue;
    private final AgentProperties properties;
    private final AgentMetrics metrics;
    private final JsonMapper json;

    AgentController(EscalationQueue queue, AgentProperties properties, AgentMetrics metrics, JsonMapper json) {
        this.queue = queue;
        this.properties = properties;
        this.metrics = metrics;
        this.json = json;
    }

    record ClaimRequest(@Nullable List<String> skills) {
    }

    record TransferRequest(@Nullable String skill, @Nullable String note) {
    }

    record ResolveRequest(@Nullable String disposition, @Nullable String notes) {
    }

    /** 200 with the reservation and the full hand-off context, or 204 when nothing waits in the agent's queues. */
    @PostMapping("/escalations/claim")
    Mono<ResponseEntity<AgentView>> claim(@AuthenticationPrincipal Jwt token,
                                          @RequestBody(required = false) @Nullable ClaimRequest request) {
        Agent agent = Agent.of(token);
        var skills = agent.narrow(request != null ? request.skills() : null);
        return queue.heartbeat(agent.id(), agent.skills())
                .then(queue.claimNext(agent.id(), agent.name(), skills, properties.getReservationTimeout()))
                .map(escalation -> {
                    metrics.claim("offered");
                    return ResponseEntity.ok(AgentView.of(escalation, json));
                })
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    metrics.claim("empty");
                    return ResponseEntity.noContent().build();
                }));
    }

    @PostMapping("/escalations/{id}/accept")
    Mono<AgentView> accept(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        Agent agent = Agent.of(token);
        return step(agent, "accept", queue.accept(id, agent.id()));
    }

    @PostMapping("/escalations/{id}/decline")
    Mono<AgentView> decline(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        Agent agent = Agent.of(token);
        return step(agent, "decline", queue.decline(id, agent.id()));
    }

    @PostMapping(path = "/escalations/{id}/transfer", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<AgentView> transfer(@AuthenticationPrincipal Jwt token, @PathVariable String id,
                             @RequestBody TransferRequest request) {
        Agent agent = Agent.of(token);
        Skill target = Skill.fromWire(request.skill());
        if (target == null) {
            throw SurgeException.badRequest("skill must be orders, returns, billing or general.");
        }
        String note = required(request.note(), "note");
        return step(agent, "transfer", queue.transfer(id, agent.id(), target, note));
    }

    @PostMapping(path = "/escalations/{id}/resolve", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<AgentView> resolve(@AuthenticationPrincipal Jwt token, @PathVariable String id,
                            @RequestBody ResolveRequest request) {
        Agent agent = Agent.of(token);
        String disposition = required(request.disposition(), "disposition");
        if (disposition.length() > 64) {
            throw SurgeException.badRequest("disposition must be at most 64 characters.");
        }
        if (request.notes() != null && request.notes().length() > MAX_NOTE) {
            throw SurgeException.badRequest("notes must be at most " + MAX_NOTE + " characters.");
        }
        return step(agent, "resolve", queue.resolve(id, agent.id(), disposition, request.notes()));
    }

    @GetMapping("/escalations/{id}")
    Mono<AgentView> get(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        Agent agent = Agent.of(token);
        return queue.heartbeat(agent.id(), agent.skills()).then(queue.find(id)).map(e -> AgentView.of(e, json));
    }

    /** For desktops without an open feed: keeps what the agent holds from being reclaimed. */
    @PostMapping("/heartbeat")
    Mono<ResponseEntity<Void>> heartbeat(@AuthenticationPrincipal Jwt token) {
        Agent agent = Agent.of(token);
        return queue.heartbeat(agent.id(), agent.skills()).thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping("/queues")
    Mono<Map<String, List<EscalationQueue.QueueStats>>> queues(@AuthenticationPrincipal Jwt token) {
        Agent agent = Agent.of(token);
        return queue.heartbeat(agent.id(), agent.skills()).then(queue.queues()).map(stats -> Map.of("queues", stats));
    }

    /**
     * The queue figures now, then after every change on any instance (at most once per feed interval). While the feed
     * is open the agent counts as present.
     */
    @GetMapping(path = "/queues/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Map<String, List<EscalationQueue.QueueStats>>>> queueEvents(
            @AuthenticationPrincipal Jwt token) {
        Agent agent = Agent.of(token);
        Duration presence = properties.getPresenceTimeout().dividedBy(4);
        Flux<Object> triggers = Flux.merge(queue.queueChanges().sample(properties.getFeedInterval()), Mono.just("now"));
        Flux<ServerSentEvent<Map<String, List<EscalationQueue.QueueStats>>>> snapshots = triggers
                .concatMap(trigger -> queue.queues())
                .distinctUntilChanged()
                .map(stats -> ServerSentEvent.builder(Map.of("queues", stats)).event("queues").build());
        Flux<ServerSentEvent<Map<String, List<EscalationQueue.QueueStats>>>> presenceBeats = Flux.interval(
                        Duration.ZERO, presence)
                .onBackpressureDrop()
                .concatMap(tick -> queue.heartbeat(agent.id(), agent.skills()).onErrorResume(e -> Mono.empty()))
                .thenMany(Flux.empty());
        return Flux.merge(snapshots, presenceBeats, Flux.interval(presence)
                .map(tick -> ServerSentEvent.<Map<String, List<EscalationQueue.QueueStats>>>builder()
                        .comment("keep-alive").build()));
    }

    private Mono<AgentView> step(Agent agent, String name, Mono<Escalation> step) {
        return queue.heartbeat(agent.id(), agent.skills()).then(step)
                .doOnNext(done -> metrics.step(name))
                .map(escalation -> AgentView.of(escalation, json));
    }

    private static String required(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            throw SurgeException.badRequest(field + " is required.");
        }
        if (value.length() > MAX_NOTE) {
            throw SurgeException.badRequest(field + " must be at most " + MAX_NOTE + " characters.");
        }
        return value;
    }
}
