package dev.surge.gateway.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.SurgeException;

/**
 * {@link EscalationQueue} and {@link CustomerQueue} over the Redis scripts. Redis here is fail-closed: without it no agent can be given work
 * safely (two instances could hand out the same escalation), so agent operations answer 503 rather than guess.
 */
final class RedisEscalationQueue implements EscalationQueue, CustomerQueue {

    private static final Logger log = LoggerFactory.getLogger(RedisEscalationQueue.class);

    private static final int REAP_PAGE = 500;
    /** Agents' actions kept per escalation, the newest: enough for any real conversation, bounded for a runaway. */
    private static final int ACTIONS_KEPT = 50;

    private final EscalationRepository repository;
    private final EscalationChanges changes;
    private final QueueMetrics metrics;
    private final Clock clock;
    private final List<QueueListener> listeners;
    /** Where each skill's reaper scan goes on next time: the pending list is read a page per run. */
    private final Map<Skill, String> reapCursor = new ConcurrentHashMap<>();

    RedisEscalationQueue(EscalationRepository repository, EscalationChanges changes, QueueMetrics metrics,
                         Clock clock, List<QueueListener> listeners) {
        this.repository = repository;
        this.changes = changes;
        this.metrics = metrics;
        this.clock = clock;
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public Mono<Void> heartbeat(String agentId, Collection<Skill> skills) {
        return guard(repository.heartbeat(agentId, skills, clock.millis()));
    }

    @Override
    public Mono<Escalation> claimNext(String agentId, String agentName, Collection<Skill> skills,
                                      Duration reservationTimeout) {
        long now = clock.millis();
        return guard(repository.claim(agentId, agentName, skills, now, now + reservationTimeout.toMillis())
                .flatMap(claimed -> repository.find(claimed.get(0), true, now)));
    }

    @Override
    public Mono<Escalation> accept(String id, String agentId) {
        long now = clock.millis();
        return step(repository.accept(id, agentId, now), id, "accepted")
                .doOnNext(outcome -> {
                    if ("1".equals(outcome.value(2))) {
                        long created = Long.parseLong(outcome.value(0));
                        long predicted = Math.max(0, Long.parseLong(outcome.value(1)));
                        metrics.waited(Duration.ofMillis(now - created), Duration.ofMillis(predicted));
                        answered(id, outcome, now);
                    }
                })
                .then(find(id));
    }

    /** Tells the listeners of a first accept: its wait, from the window's opening for a callback. */
    private void answered(String id, EscalationRepository.Outcome outcome, long now) {
        if (listeners.isEmpty() || outcome.values().size() < 5) {
            return;
        }
        Skill skill = Skill.fromWire(outcome.value(3));
        if (skill == null) {
            return;
        }
        long created = Long.parseLong(outcome.value(0));
        long predicted = Long.parseLong(outcome.value(1));
        String opensAt = outcome.value(4);
        boolean callback = !opensAt.isEmpty();
        long from = callback ? Long.parseLong(opensAt) : created;
        QueueListener.Answered answered = new QueueListener.Answered(id, skill,
                Duration.ofMillis(Math.max(0, now - from)),
                callback || predicted < 0 ? null : Duration.ofMillis(predicted), callback, Instant.ofEpochMilli(now));
        tell(listener -> listener.answered(answered));
    }

    /**
     * Tells the listeners of an escalation given up while it waited (queued, offered, or a callback whose window
     * had opened); {@code values} are finish.lua's after its code.
     */
    private void abandoned(String id, List<String> values, long now) {
        if (listeners.isEmpty() || values.size() < 6) {
            return; // abandoned before: told then
        }
        EscalationStatus before = EscalationStatus.fromWire(values.get(3));
        Skill skill = Skill.fromWire(values.get(1));
        if (skill == null || !(before.isWaiting() || before == EscalationStatus.OFFERED) || values.get(4).isEmpty()) {
            return;
        }
        boolean callback = !values.get(5).isEmpty();
        long from = Long.parseLong(callback ? values.get(5) : values.get(4));
        if (now < from) {
            return; // a callback given up before its window opened never waited in the queue
        }
        QueueListener.Abandoned abandoned = new QueueListener.Abandoned(id, skill, Duration.ofMillis(now - from),
                callback, Instant.ofEpochMilli(now));
        tell(listener -> listener.abandoned(abandoned));
    }

    /** A listener never breaks the step: it is done in Redis already. */
    private void tell(java.util.function.Consumer<QueueListener> call) {
        for (QueueListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("queue listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public Mono<Escalation> decline(String id, String agentId) {
        return step(repository.requeue(id, "decline", agentId, clock.millis(), null, null, 0), id, "declined")
                .then(find(id));
    }

    @Override
    public Mono<Escalation> transfer(String id, String agentId, Skill target, String note) {
        return step(repository.requeue(id, "transfer", agentId, clock.millis(), target, note, 0), id, "transferred")
                .then(find(id));
    }

    @Override
    public Mono<Escalation> resolve(String id, String agentId, String disposition, @Nullable String notes) {
        return step(repository.finish(id, "resolve", "agentId", agentId, clock.millis(), disposition, notes), id,
                "resolved")
                .then(find(id));
    }

    @Override
    public Mono<Void> recordAction(String id, String entryJson) {
        return guard(repository.recordAction(id, entryJson, ACTIONS_KEPT)).then();
    }

    @Override
    public Mono<Escalation> find(String id) {
        return guard(repository.find(id, true, clock.millis()))
                .switchIfEmpty(Mono.defer(() -> Mono.error(SurgeException.notFound("Escalation"))));
    }

    @Override
    public Mono<Long> agentsPresent() {
        return guard(repository.agentsPresent(clock.millis()));
    }

    @Override
    public Mono<List<QueueStats>> queues() {
        long now = clock.millis();
        List<Skill> skills = List.of(Skill.values());
        return guard(repository.queues(skills, now)).map(values -> {
            List<QueueStats> stats = new ArrayList<>(skills.size());
            for (int i = 0; i < skills.size(); i++) {
                long depth = Long.parseLong(values.get(4 * i));
                String oldest = values.get(4 * i + 1);
                Long waited = oldest.isEmpty() ? null : Math.max(0, (now - Long.parseLong(oldest)) / 1000);
                stats.add(new QueueStats(skills.get(i), depth, waited, Long.parseLong(values.get(4 * i + 2)),
                        Long.parseLong(values.get(4 * i + 3))));
                metrics.queue(skills.get(i), depth, waited == null ? 0 : waited);
            }
            return stats;
        });
    }

    @Override
    public Mono<Reaped> reap(Duration presenceTimeout) {
        long now = clock.millis();
        long presenceDeadline = now - presenceTimeout.toMillis();
        return Flux.fromArray(Skill.values())
                .concatMap(skill -> repository.held(skill, reapCursor.getOrDefault(skill, "-"), REAP_PAGE)
                        .flatMapMany(page -> {
                            reapCursor.put(skill, page.get(0));
                            List<Mono<Integer>> steps = new ArrayList<>();
                            for (int i = 1; i + 4 < page.size(); i += 5) {
                                String id = page.get(i);
                                String holder = page.get(i + 1);
                                String status = page.get(i + 2);
                                String expires = page.get(i + 3);
                                long lastSeen = Long.parseLong(page.get(i + 4));
                                if ("offered".equals(status) && !expires.isEmpty() && Long.parseLong(expires) <= now) {
                                    steps.add(requeue(id, "expire", holder, now, presenceDeadline, 0));
                                } else if (lastSeen < presenceDeadline) {
                                    steps.add(requeue(id, "reclaim", holder, now, presenceDeadline, 1));
                                }
                            }
                            return Flux.concat(steps);
                        }))
                .reduce(new int[2], (counts, kind) -> {
                    counts[kind]++;
                    return counts;
                })
                .map(counts -> new Reaped(counts[0], counts[1]));
    }

    /** Emits 0 for an expired reservation, 1 for a reclaim, nothing when the script found nothing to do. */
    private Mono<Integer> requeue(String id, String mode, String holder, long now, long presenceDeadline, int kind) {
        return repository.requeue(id, mode, holder, now, null, null, presenceDeadline)
                .filter(EscalationRepository.Outcome::ok)
                .map(outcome -> kind);
    }

    @Override
    public Flux<Skill> queueChanges() {
        return changes.changes().map(CustomerQueue.Change::skill);
    }

    @Override
    public Flux<CustomerQueue.Change> changes() {
        return changes.changes();
    }

    @Override
    public Mono<Enqueued> enqueue(PendingEscalation pending, long nowMillis, boolean replay) {
        return repository.enqueue(pending, nowMillis, replay).map(reply -> switch (reply.get(0)) {
            case "ok" -> {
                boolean created = "1".equals(reply.get(1));
                yield enqueued(created ? Outcome.CREATED : Outcome.EXISTED, pending.id(), reply.get(2), reply.get(3),
                        reply.get(4), created ? EscalationRepository.earlier(reply.get(5)) : null);
            }
            case "done" -> enqueued(Outcome.REPEATED, reply.get(1), reply.get(2), reply.get(3), reply.get(4), null);
            default -> new Enqueued(Outcome.KEY_REUSED, pending.id(), "", null, null, null);
        });
    }

    /** Position 0 from the script means "not waiting": no place and no estimate then. */
    private static Enqueued enqueued(Outcome outcome, String id, String status, String position, String waitMs,
                                     @Nullable List<Escalation.Earlier> earlier) {
        int place = Integer.parseInt(position);
        long wait = Long.parseLong(waitMs);
        return new Enqueued(outcome, id, status, place > 0 ? place : null, place > 0 ? Math.max(0, wait / 1000) : null,
                earlier);
    }

    @Override
    public Mono<Escalation> find(String id, long nowMillis) {
        return repository.find(id, false, nowMillis);
    }

    @Override
    public Mono<Rescheduled> reschedule(String id, String ownerField, String ownerValue, String contactJson,
                                        long opensAtMillis) {
        return repository.reschedule(id, ownerField, ownerValue, contactJson, opensAtMillis)
                .map(outcome -> switch (outcome.code()) {
                    case "ok" -> Rescheduled.RESCHEDULED;
                    case "state" -> Rescheduled.NOT_WAITING;
                    default -> Rescheduled.NOT_FOUND;
                });
    }

    @Override
    public Mono<Abandoned> abandon(String id, String ownerField, String ownerValue, long nowMillis) {
        return repository.finish(id, "abandon", ownerField, ownerValue, nowMillis, null, null)
                .map(outcome -> switch (outcome.code()) {
                    case "ok" -> {
                        abandoned(id, outcome.values(), nowMillis);
                        yield Abandoned.ABANDONED;
                    }
                    case "state" -> Abandoned.ALREADY_FINISHED;
                    default -> Abandoned.NOT_FOUND;
                });
    }

    /** Runs an agent step and turns a refusal into the right problem. */
    private Mono<EscalationRepository.Outcome> step(Mono<EscalationRepository.Outcome> outcome, String id,
                                                    String verb) {
        return guard(outcome).flatMap(result -> switch (result.code()) {
            case "ok" -> Mono.just(result);
            case "missing" -> Mono.error(SurgeException.notFound("Escalation"));
            case "not-holder" -> Mono.error(new SurgeException(HttpStatus.FORBIDDEN, "not-holder", "Forbidden",
                    "This escalation is held by another agent."));
            case "expired" -> Mono.error(new SurgeException(HttpStatus.CONFLICT, "reservation-expired", "Conflict",
                    "The reservation expired and the escalation went back to its queue; claim again."));
            default -> Mono.error(new SurgeException(HttpStatus.CONFLICT, "escalation-state", "Conflict",
                    "The escalation is " + (result.values().isEmpty() ? "not held" : result.value(0))
                            + "; it cannot be " + verb + " now."));
        });
    }

    private static <T> Mono<T> guard(Mono<T> call) {
        return call.onErrorMap(e -> !(e instanceof SurgeException), e -> new SurgeException(
                HttpStatus.SERVICE_UNAVAILABLE, "queue-unavailable", "Service Unavailable",
                "The agent queue cannot be reached right now. Please try again shortly."));
    }
}
