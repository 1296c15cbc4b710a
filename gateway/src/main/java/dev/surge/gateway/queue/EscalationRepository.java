package dev.surge.gateway.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import dev.surge.gateway.identity.Tier;
import dev.surge.gateway.redis.LuaScript;
import tools.jackson.databind.json.JsonMapper;

/**
 * The escalation queue in Redis: every change is one Lua script (loaded once, run by SHA), so each is atomic across
 * instances. Answers raw outcomes; {@link RedisEscalationQueue} and {@link EscalationIntake} turn them into HTTP
 * answers. Every call has the configured timeout: a slow Redis is a failure here, and the callers decide what it
 * means (the intake spools, the agent API answers 503).
 */
final class EscalationRepository {

    /** Fields read for a view; the script needs status and skill first. */
    private static final List<String> FIELDS = List.of("status", "skill", "id", "customerId", "createdBy", "channel",
            "reason", "tier", "orderId", "message", "contact", "createdAt", "agentId", "agentName",
            "reservationExpiresAt", "acceptedAt", "finishedAt", "disposition", "notes", "transferNote", "earlier", "actions",
            "traceId");
    private static final List<String> FIELDS_WITH_CONTEXT = concat(FIELDS, "context");

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final QueueProperties properties;
    private final Duration timeout;
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> enqueue = script("enqueue");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> view = script("view");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> claim = script("claim");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> accept = script("accept");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> requeue = script("requeue");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> finish = script("finish");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> held = script("held");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> queues = script("queues");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> heartbeat = script("heartbeat");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> reschedule = script("reschedule");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> action = script("action");

    @SuppressWarnings("rawtypes")
    private static RedisScript<List> script(String name) {
        return LuaScript.load("scripts/queue/" + name + ".lua");
    }

    EscalationRepository(ReactiveStringRedisTemplate redis, JsonMapper json, QueueProperties properties) {
        this.redis = redis;
        this.json = json;
        this.properties = properties;
        this.timeout = properties.redisTimeout();
    }

    /** Outcome of a script: a code ({@code ok}, {@code missing}, ...) and the values that came with it. */
    record Outcome(String code, List<String> values) {

        boolean ok() {
            return "ok".equals(code);
        }

        String value(int index) {
            return values.get(index);
        }
    }

    /** Runs a script; an empty reply (the scripts' "nothing") is an empty Mono. Every script answers strings. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    Mono<List<String>> run(RedisScript<List> script, List<String> keys, List<String> args) {
        return redis.execute(script, keys, args).next()
                .filter(reply -> !reply.isEmpty())
                .map(reply -> {
                    List<String> values = new ArrayList<>(reply.size());
                    for (Object value : (List<Object>) reply) {
                        values.add(value == null ? "" : value.toString());
                    }
                    return values;
                })
                .timeout(timeout);
    }

    Mono<Outcome> outcome(RedisScript<List> script, List<String> keys, List<String> args) {
        return run(script, keys, args).map(values -> new Outcome(values.get(0), values.subList(1, values.size())));
    }

    /**
     * Stores the escalation unless it exists, checking its Idempotency-Key first unless {@code replay}:
     * {ok, created, status, position, waitMs, earlier}, {done, id, status, position, waitMs} or {mismatch}, where
     * earlier is the customer's earlier escalations as {@link #earlier} reads them.
     */
    Mono<List<String>> enqueue(PendingEscalation pending, long nowMillis, boolean replay) {
        Skill skill = pending.skill();
        List<String> args = new ArrayList<>();
        args.add(pending.id());
        args.add(pending.fields().get("score")); // with its tie-break, as stored in the record
        args.add(Long.toString(nowMillis));
        args.add(Long.toString(properties.activeAgentWindow().toMillis()));
        args.add(Long.toString(properties.defaultHandleTime().toMillis()));
        args.add(Long.toString(properties.idempotencyTtl().toMillis()));
        args.add(EscalationKeys.CHANGES);
        args.add(skill.wire());
        args.add(pending.fingerprint());
        args.add(replay ? "replay" : "new");
        args.add(Long.toString(properties.history().window().toMillis()));
        args.add(Integer.toString(properties.history().size()));
        args.add(Long.toString(pending.createdAtMillis()));
        pending.fields().forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        return run(enqueue, List.of(EscalationKeys.escalation(pending.id()), EscalationKeys.waiting(skill),
                EscalationKeys.agents(skill), EscalationKeys.STATS, pending.idempotencyKey(),
                EscalationKeys.history(pending.fields().get("customerId"))), args);
    }

    /** The escalation with its live position and wait, or empty when there is none. */
    Mono<Escalation> find(String id, boolean withContext, long nowMillis) {
        List<String> fields = withContext ? FIELDS_WITH_CONTEXT : FIELDS;
        List<String> args = new ArrayList<>(fields.size() + 4);
        args.add(EscalationKeys.PREFIX);
        args.add(Long.toString(nowMillis));
        args.add(Long.toString(properties.activeAgentWindow().toMillis()));
        args.add(Long.toString(properties.defaultHandleTime().toMillis()));
        args.addAll(fields);
        return run(view, List.of(EscalationKeys.escalation(id), EscalationKeys.STATS), args)
                .map(values -> toEscalation(values, withContext));
    }

    private Escalation toEscalation(List<String> v, boolean withContext) {
        // v: position, waitMs, then FIELDS in order (context, when read, last)
        int position = Integer.parseInt(v.get(0));
        long waitMs = Long.parseLong(v.get(1));
        return new Escalation(v.get(4), v.get(5), blank(v.get(6)), EscalationStatus.fromWire(v.get(2)), v.get(8),
                v.get(7), Skill.valueOf(v.get(3).toUpperCase(java.util.Locale.ROOT)),
                Tier.valueOf(v.get(9).toUpperCase(java.util.Locale.ROOT)), blank(v.get(10)), blank(v.get(11)),
                json.readValue(v.get(12), Escalation.Contact.class), instant(v.get(13)),
                position > 0 ? position : null, position > 0 ? Math.max(0, waitMs / 1000) : null,
                blank(v.get(14)), blank(v.get(15)), instant(v.get(16)), instant(v.get(17)), instant(v.get(18)),
                blank(v.get(19)), blank(v.get(20)), blank(v.get(21)), withContext ? blank(v.get(25)) : null,
                earlier(v.get(22)), blank(v.get(23)), blank(v.get(24)));
    }

    /**
     * The customer's earlier escalations as the enqueue script stores them ({@code id:createdMs,...}, newest first);
     * none for records made before the history was kept.
     */
    static List<Escalation.Earlier> earlier(String stored) {
        if (stored.isEmpty()) {
            return List.of();
        }
        List<Escalation.Earlier> earlier = new ArrayList<>();
        for (String entry : stored.split(",")) {
            int colon = entry.lastIndexOf(':');
            earlier.add(new Escalation.Earlier(entry.substring(0, colon),
                    Instant.ofEpochMilli(Long.parseLong(entry.substring(colon + 1)))));
        }
        return List.copyOf(earlier);
    }

    /** Offers the best waiting escalation among the skills: {id, skill}, or empty when none waits. */
    Mono<List<String>> claim(String agentId, String agentName, Collection<Skill> skills, long nowMillis,
                             long expiresAtMillis) {
        List<String> args = new ArrayList<>(List.of(EscalationKeys.PREFIX, agentId, agentName,
                Long.toString(nowMillis), Long.toString(expiresAtMillis), EscalationKeys.CHANGES));
        skills.forEach(skill -> args.add(skill.wire()));
        List<String> keys = new ArrayList<>(2 * skills.size());
        skills.forEach(skill -> keys.add(EscalationKeys.waiting(skill)));
        skills.forEach(skill -> keys.add(EscalationKeys.held(skill)));
        return run(claim, keys, args);
    }

    Mono<Outcome> accept(String id, String agentId, long nowMillis) {
        return outcome(accept, List.of(EscalationKeys.escalation(id)),
                List.of(id, agentId, Long.toString(nowMillis), EscalationKeys.CHANGES));
    }

    /** Back to a waiting queue at its original score; {@code mode} is decline, transfer, expire or reclaim. */
    Mono<Outcome> requeue(String id, String mode, String holder, long nowMillis, @Nullable Skill target,
                          @Nullable String note, long presenceDeadlineMillis) {
        return outcome(requeue, List.of(EscalationKeys.escalation(id)), List.of(EscalationKeys.PREFIX, id,
                mode, holder, Long.toString(nowMillis), EscalationKeys.CHANGES, target == null ? "" : target.wire(),
                note == null ? "" : note, Long.toString(presenceDeadlineMillis)));
    }

    /** Resolve (by the holder, {@code ownerField} agentId) or abandon (by the owner). */
    Mono<Outcome> finish(String id, String mode, String ownerField, String ownerValue, long nowMillis,
                         @Nullable String disposition, @Nullable String notes) {
        return outcome(finish, List.of(EscalationKeys.escalation(id), EscalationKeys.STATS),
                List.of(EscalationKeys.PREFIX, id, mode, ownerField, ownerValue, Long.toString(nowMillis),
                        EscalationKeys.CHANGES, Long.toString(properties.retention().toMillis()),
                        Double.toString(properties.handleTimeWeight()), disposition == null ? "" : disposition,
                        notes == null ? "" : notes));
    }

    /** A waiting callback's new contact and window start; only its owner, only while it waits. */
    Mono<Outcome> reschedule(String id, String ownerField, String ownerValue, String contactJson, long opensAtMillis) {
        return outcome(reschedule, List.of(EscalationKeys.escalation(id)), List.of(id, ownerField, ownerValue,
                contactJson, Long.toString(opensAtMillis), EscalationKeys.CHANGES));
    }

    /** Appends an agent's action (a JSON object) to the record's history of actions, the newest {@code keep}. */
    Mono<Outcome> recordAction(String id, String entryJson, int keep) {
        return outcome(action, List.of(EscalationKeys.escalation(id)), List.of(entryJson, Integer.toString(keep)));
    }

    /** One page of held escalations of a skill: {next, then id, holder, status, expiresAt, lastSeen per entry}. */
    Mono<List<String>> held(Skill skill, String start, int count) {
        return run(held, List.of(EscalationKeys.held(skill), EscalationKeys.ALL_AGENTS),
                List.of(EscalationKeys.PREFIX, skill.wire(), start, Integer.toString(count)));
    }

    /** Per skill: depth, oldest createdAt ('' if none), held, active agents. */
    Mono<List<String>> queues(Collection<Skill> skills, long nowMillis) {
        List<String> args = new ArrayList<>(List.of(EscalationKeys.PREFIX, Long.toString(nowMillis),
                Long.toString(properties.activeAgentWindow().toMillis()),
                Long.toString(properties.platinumBoost().toMillis()), "100"));
        List<String> keys = new ArrayList<>(3 * skills.size());
        skills.forEach(skill -> {
            args.add(skill.wire());
            keys.add(EscalationKeys.waiting(skill));
            keys.add(EscalationKeys.held(skill));
            keys.add(EscalationKeys.agents(skill));
        });
        return run(queues, keys, args);
    }

    /** Agents seen within the active-agent window, any skill. */
    Mono<Long> agentsPresent(long nowMillis) {
        return redis.opsForZSet().count(EscalationKeys.ALL_AGENTS, org.springframework.data.domain.Range.closed(
                        (double) (nowMillis - properties.activeAgentWindow().toMillis()), Double.POSITIVE_INFINITY))
                .timeout(timeout);
    }

    Mono<Void> heartbeat(String agentId, Collection<Skill> skills, long nowMillis) {
        List<String> keys = new ArrayList<>();
        keys.add(EscalationKeys.ALL_AGENTS);
        skills.forEach(skill -> keys.add(EscalationKeys.agents(skill)));
        // Agents silent for a day are forgotten; presence decisions use much shorter windows.
        long day = Duration.ofDays(1).toMillis();
        return run(heartbeat, keys, List.of(agentId, Long.toString(nowMillis),
                Long.toString(nowMillis - day), Long.toString(day))).then();
    }

    private static @Nullable String blank(String value) {
        return value.isEmpty() ? null : value;
    }

    private static @Nullable Instant instant(String millis) {
        return millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    private static List<String> concat(List<String> list, String extra) {
        List<String> all = new ArrayList<>(list);
        all.add(extra);
        return List.copyOf(all);
    }
}
