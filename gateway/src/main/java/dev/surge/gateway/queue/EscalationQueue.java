package dev.surge.gateway.queue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The agent queues, as agents use them. Every operation is atomic across instances; failures are already problems
 * ({@code SurgeException}): 404 for an unknown escalation, 403 when another agent holds it, 409 when its state does
 * not allow the step (or the reservation expired), 503 when Redis cannot be reached.
 */
public interface EscalationQueue {

    /** Notes that the agent is present (for active-agent counts and so that what they hold is not reclaimed). */
    Mono<Void> heartbeat(String agentId, Collection<Skill> skills);

    /**
     * Offers the agent the highest-priority waiting escalation among the skills, as a reservation that expires after
     * {@code reservationTimeout}; with its full hand-off context. Empty when nothing waits.
     */
    Mono<Escalation> claimNext(String agentId, String agentName, Collection<Skill> skills,
                               Duration reservationTimeout);

    Mono<Escalation> accept(String id, String agentId);

    /** Back to its queue, in its original place. */
    Mono<Escalation> decline(String id, String agentId);

    /** To another skill's queue, keeping its age (so its place among that queue's waiting), with a note. */
    Mono<Escalation> transfer(String id, String agentId, Skill target, String note);

    Mono<Escalation> resolve(String id, String agentId, String disposition, @Nullable String notes);

    /**
     * Records on the escalation what its agent did for the customer ({@code entryJson}: a JSON object with what, when,
     * by whom and the outcome), so whoever holds it next sees it. Best effort for the caller: the action is done.
     */
    Mono<Void> recordAction(String id, String entryJson);

    /** One escalation as an agent sees it, with its context. */
    Mono<Escalation> find(String id);

    Mono<List<QueueStats>> queues();

    /**
     * How many agents are present: seen (a claim, a step, a heartbeat or an open feed) within the active-agent
     * window, whatever their skills. {@link QueueStats#activeAgents} counts an agent in each of their skills.
     */
    Mono<Long> agentsPresent();

    /**
     * Returns expired reservations to their place, and reclaims what agents not seen for {@code presenceTimeout}
     * hold. Safe to run on every instance at once: each step re-checks atomically.
     */
    Mono<Reaped> reap(Duration presenceTimeout);

    /** Emits the skill of every queue that changed, from any instance. */
    Flux<Skill> queueChanges();

    /** Figures of one skill queue. */
    record QueueStats(Skill skill, long depth, @Nullable Long oldestWaitingSeconds, long held, long activeAgents) {
    }

    /** What a reaper run returned to the queues. */
    record Reaped(int expired, int reclaimed) {
    }
}
