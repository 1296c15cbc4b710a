package dev.surge.gateway.contact;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import dev.surge.gateway.journey.Journeys;
import dev.surge.gateway.redis.LuaScript;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes what the recorder took in to the shared buckets, every flush interval, off the request path: first each
 * customer's session (sessions.lua, per shard), then for each escalation its failed step from the customer's journey,
 * then one add.lua call per bucket. Redis away: a customer whose session could not be found, and a bucket update that
 * failed, are kept for the next flush (bounded, then dropped and counted); a timed-out update may have been applied
 * and is sent again, so a figure can count an event twice across an outage, never lose it silently.
 */
final class ContactFlush {

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> ADD = LuaScript.load("scripts/contact/add.lua");
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> SESSIONS = LuaScript.load("scripts/contact/sessions.lua");
    /** Most customers one sessions call carries. */
    private static final int SESSION_BATCH = 256;
    /** Journeys read at once for failed steps, and bucket writes sent at once. */
    private static final int CONCURRENCY = 8;

    private final ReactiveStringRedisTemplate redis;
    private final ContactRecorder recorder;
    private final ProtectionSampler sampler;
    private final Journeys journeys;
    private final JsonMapper json;
    private final ContactProperties properties;
    private final Clock clock;
    private final long settleMillis;
    private final AtomicBoolean busy = new AtomicBoolean();
    // Owned by the running flush; flushes never overlap (busy).
    private List<Customer> heldCustomers = new ArrayList<>();
    private final ArrayDeque<BucketWrites.Write> heldWrites = new ArrayDeque<>();

    ContactFlush(ReactiveStringRedisTemplate redis, ContactRecorder recorder, ProtectionSampler sampler,
                 Journeys journeys, JsonMapper json, ContactProperties properties, Clock clock, Duration settle) {
        this.redis = redis;
        this.recorder = recorder;
        this.sampler = sampler;
        this.journeys = journeys;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
        this.settleMillis = settle.toMillis();
    }

    /** Thrown by {@link #flush} while another flush runs. */
    static final class Busy extends RuntimeException {
        Busy() {
            super("a contact flush is running", null, false, false);
        }
    }

    /** The periodic task: a flush, unless one is running. */
    Mono<Void> tick() {
        return flush().onErrorResume(Busy.class, e -> Mono.empty());
    }

    /** A flush that starts once the running one (if any) is done: what was recorded before the call is written. */
    Mono<Void> flushNow() {
        return flush().retryWhen(Retry.fixedDelay(500, Duration.ofMillis(10)).filter(Busy.class::isInstance));
    }

    Mono<Void> flush() {
        return Mono.defer(() -> {
            if (!busy.compareAndSet(false, true)) {
                return Mono.error(new Busy());
            }
            return run().doFinally(signal -> busy.set(false));
        });
    }

    /** One customer's share of a flush: activity (first and last) and escalations. */
    private static final class Customer {
        final String id;
        @Nullable String tier;
        long activeFirst = Long.MAX_VALUE;
        long activeLast = Long.MIN_VALUE;
        final List<ContactEvent.Escalated> escalations = new ArrayList<>();

        Customer(String id) {
            this.id = id;
        }

        boolean active() {
            return tier != null;
        }

        long first() {
            long first = activeFirst;
            for (ContactEvent.Escalated e : escalations) {
                first = Math.min(first, e.at());
            }
            return first;
        }

        long last() {
            long last = activeLast;
            for (ContactEvent.Escalated e : escalations) {
                last = Math.max(last, e.at());
            }
            return last;
        }

        /** This customer's share and another's of the same customer, in this one. */
        Customer join(Customer other) {
            if (other.tier != null) {
                tier = other.tier;
                activeFirst = Math.min(activeFirst, other.activeFirst);
                activeLast = Math.max(activeLast, other.activeLast);
            }
            escalations.addAll(other.escalations);
            return this;
        }

        int events() {
            return (active() ? 1 : 0) + escalations.size();
        }
    }

    private Mono<Void> run() {
        long now = clock.millis();
        Map<String, Customer> customers = new LinkedHashMap<>();
        heldCustomers.forEach(held -> customers.merge(held.id, held, Customer::join));
        heldCustomers = new ArrayList<>();
        for (ContactRecorder.Taken taken : recorder.takeActivity()) {
            Customer customer = customers.computeIfAbsent(taken.customer(), Customer::new);
            customer.tier = taken.tier();
            customer.activeFirst = Math.min(customer.activeFirst, taken.first());
            customer.activeLast = Math.max(customer.activeLast, taken.last());
        }
        BucketWrites writes = new BucketWrites();
        for (ContactEvent event : recorder.takeEvents()) {
            if (event instanceof ContactEvent.Escalated escalated) {
                customers.computeIfAbsent(escalated.customer(), Customer::new).escalations.add(escalated);
            } else {
                add(event, writes);
            }
        }
        sampler.sample(now, writes);
        settle(customers, now);
        return sessions(customers.values())
                .publishOn(Schedulers.boundedElastic())
                .flatMap(starts -> failedSteps(customers.values(), starts)
                        .publishOn(Schedulers.boundedElastic())
                        .map(steps -> {
                            for (Customer customer : customers.values()) {
                                Long start = starts.get(customer.id);
                                if (start == null) {
                                    hold(customer);
                                } else {
                                    add(customer, customer.id + ":" + start, steps, writes);
                                }
                            }
                            return writes;
                        }))
                .flatMap(this::write);
    }

    /**
     * Escalations younger than the settle time wait for a later flush: their failed step is read from the journey,
     * and a step the customer took on another instance reaches Redis only with that instance's next journey flush.
     */
    private void settle(Map<String, Customer> customers, long now) {
        for (Iterator<Customer> it = customers.values().iterator(); it.hasNext(); ) {
            Customer customer = it.next();
            List<ContactEvent.Escalated> young = customer.escalations.stream()
                    .filter(e -> e.at() > now - settleMillis).toList();
            if (young.isEmpty()) {
                continue;
            }
            customer.escalations.removeAll(young);
            Customer later = new Customer(customer.id);
            later.escalations.addAll(young);
            hold(later);
            if (!customer.active() && customer.escalations.isEmpty()) {
                it.remove();
            }
        }
    }

    private void hold(Customer customer) {
        if (heldCustomers.size() < recorder.bound()) {
            heldCustomers.add(customer);
        } else {
            recorder.droppedRedis(customer.events());
        }
    }

    /** Each customer's session start minute, by customer; customers of a shard Redis did not answer are missing. */
    @SuppressWarnings("unchecked")
    private Mono<Map<String, Long>> sessions(Collection<Customer> customers) {
        if (customers.isEmpty()) {
            return Mono.just(Map.of());
        }
        Map<Integer, List<Customer>> byShard = new HashMap<>();
        customers.forEach(c -> byShard.computeIfAbsent(ContactKeys.sessionShard(c.id), s -> new ArrayList<>()).add(c));
        Map<String, Long> starts = new ConcurrentHashMap<>();
        String gap = Long.toString(properties.sessionGap().toMillis());
        String ttl = Long.toString(properties.sessionGap().plusMinutes(1).toMillis());
        return Flux.fromIterable(byShard.values())
                .concatMap(shard -> Flux.fromIterable(shard).buffer(SESSION_BATCH))
                .flatMap(batch -> {
                    List<String> keys = new ArrayList<>(batch.size());
                    List<String> args = new ArrayList<>(2 + 2 * batch.size());
                    args.add(gap);
                    args.add(ttl);
                    for (Customer c : batch) {
                        keys.add(ContactKeys.session(c.id));
                        args.add(Long.toString(c.first()));
                        args.add(Long.toString(c.last()));
                    }
                    return redis.execute(SESSIONS, keys, args).next().timeout(properties.redisTimeout())
                            .doOnNext(reply -> {
                                List<Object> values = (List<Object>) reply;
                                for (int i = 0; i < batch.size() && i < values.size(); i++) {
                                    starts.put(batch.get(i).id, Long.parseLong(String.valueOf(values.get(i))));
                                }
                            })
                            .then()
                            .onErrorResume(e -> Mono.empty());
                }, CONCURRENCY)
                .then(Mono.fromSupplier(() -> starts));
    }

    /**
     * Each escalation's failed step: the last step of the customer's journey before it that answered 400 or more,
     * as {@code <method> <route template> <status>}; none when there is none, or the journey cannot be read.
     */
    private Mono<Map<ContactEvent.Escalated, String>> failedSteps(Collection<Customer> customers,
                                                                Map<String, Long> started) {
        List<ContactEvent.Escalated> escalations = new ArrayList<>();
        customers.stream().filter(c -> started.containsKey(c.id)).forEach(c -> escalations.addAll(c.escalations));
        if (escalations.isEmpty()) {
            return Mono.just(Map.of());
        }
        Map<ContactEvent.Escalated, String> steps = new ConcurrentHashMap<>();
        return Flux.fromIterable(escalations)
                .flatMap(e -> journeys.recent(e.customer())
                        .doOnNext(entries -> {
                            String step = lastFailed(entries, e.at());
                            if (step != null) {
                                steps.put(e, step);
                            }
                        })
                        .then()
                        .onErrorResume(err -> Mono.empty()), CONCURRENCY)
                .then(Mono.fromSupplier(() -> steps));
    }

    /** The newest customer step (not an agent's) at or before {@code at} with a status of 400 or more. */
    @Nullable String lastFailed(List<String> newestFirst, long at) {
        for (String entry : newestFirst) {
            if (entry.isEmpty()) {
                continue;
            }
            JsonNode step = json.readTree(entry);
            JsonNode when = step.has("firstAt") ? step.get("firstAt") : step.get("at");
            if (when == null || step.has("by") || Instant.parse(when.asString()).toEpochMilli() > at) {
                continue;
            }
            int status = step.path("status").asInt(0);
            if (status >= 400) {
                return step.path("method").asString("") + " " + step.path("path").asString("") + " " + status;
            }
        }
        return null;
    }

    private static void add(Customer customer, String session, Map<ContactEvent.Escalated, String> steps,
                            BucketWrites writes) {
        if (customer.active()) {
            for (long at : new long[] {customer.activeFirst, customer.activeLast}) {
                writes.member(at, ContactKeys.ACTIVE, customer.id);
                writes.member(at, ContactKeys.activeOfTier(customer.tier), customer.id);
                writes.member(at, ContactKeys.SESSIONS, session);
            }
            writes.add(customer.activeFirst, "events", 1);
        }
        for (ContactEvent.Escalated e : customer.escalations) {
            writes.member(e.at(), ContactKeys.ESCALATED, customer.id);
            writes.member(e.at(), ContactKeys.SESSIONS_ESCALATED, session);
            writes.add(e.at(), "events", 1);
            writes.add(e.at(), "esc", 1);
            writes.add(e.at(), "esc.r:" + e.reason(), 1);
            writes.add(e.at(), "esc.c:" + e.channel(), 1);
            writes.add(e.at(), "esc.t:" + e.tier(), 1);
            String step = steps.get(e);
            if (step != null) {
                writes.add(e.at(), "step:" + step, 1);
            }
        }
    }

    private static void add(ContactEvent event, BucketWrites writes) {
        long at = event.at();
        writes.add(at, "events", 1);
        if (event instanceof ContactEvent.Acted a) {
            if (a.byCustomer()) {
                writes.member(at, ContactKeys.tried(a.action()), a.customer());
            }
            if (a.applied()) {
                writes.add(at, "act:" + a.action() + ":applied", 1);
                if (a.byCustomer()) {
                    writes.add(at, "act:" + a.action() + ":self", 1);
                    writes.member(at, ContactKeys.selfServed(a.action()), a.customer());
                }
            }
        } else if (event instanceof ContactEvent.Answered a) {
            String q = "q:" + a.skill() + ":";
            writes.add(at, q + "ans", 1);
            writes.add(at, q + "ans.ms", a.waitMillis());
            writes.add(at, q + "ans." + WaitHistogram.bucket(a.waitMillis()), 1);
            Long estimated = a.estimatedMillis();
            if (estimated != null) {
                writes.add(at, q + "acc.n", 1);
                // Within ±20 % of the actual wait (docs/metrics.md), in whole milliseconds.
                if (Math.abs(a.waitMillis() - estimated) * 5 <= a.waitMillis()) {
                    writes.add(at, q + "acc.ok", 1);
                }
            }
        } else if (event instanceof ContactEvent.Abandoned a) {
            String q = "q:" + a.skill() + ":";
            writes.add(at, q + "ab", 1);
            writes.add(at, q + "ab.ms", a.waitMillis());
            writes.add(at, q + "ab." + WaitHistogram.bucket(a.waitMillis()), 1);
        }
    }

    /** The updates held from earlier flushes first, then this one's; what fails is held for the next. */
    private Mono<Void> write(BucketWrites writes) {
        List<BucketWrites.Write> all = new ArrayList<>(heldWrites);
        heldWrites.clear();
        all.addAll(writes.all());
        if (all.isEmpty()) {
            return Mono.empty();
        }
        Queue<BucketWrites.Write> failed = new ConcurrentLinkedQueue<>();
        long ttl = ContactKeys.TTL.toMillis();
        return Flux.fromIterable(all)
                .flatMap(write -> redis.execute(ADD, write.keys(), write.args(ttl)).next()
                        .timeout(properties.redisTimeout())
                        .then()
                        .onErrorResume(e -> {
                            failed.add(write);
                            return Mono.empty();
                        }), CONCURRENCY)
                .then(Mono.fromRunnable(() -> {
                    int entries = 0;
                    for (BucketWrites.Write write : failed) {
                        if (entries + write.entries() <= recorder.bound()) {
                            heldWrites.add(write);
                            entries += write.entries();
                        } else {
                            recorder.droppedRedis(write.entries());
                        }
                    }
                }));
    }
}
