package dev.surge.gateway.contact;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.actions.ActionEvent;
import dev.surge.gateway.actions.ActionListener;
import dev.surge.gateway.escalation.EscalationListener;
import dev.surge.gateway.identity.Tier;
import dev.surge.gateway.queue.Escalation;
import dev.surge.gateway.queue.QueueListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Takes the contact events in, in memory only: it runs on request threads (the web filter on every API request, the
 * listeners on escalations, actions and queue steps), so it never touches Redis, never blocks and never fails.
 * {@link ContactFlush} takes what it holds and writes it. Activity is kept per customer (their first and last
 * request since the last flush), so a customer's hundred requests cost one entry; the rarer events queue as they
 * are. Both are bounded; past the bound an entry is dropped and counted.
 */
final class ContactRecorder implements EscalationListener, ActionListener, QueueListener {

    static final String DROPPED = "surge.contact.dropped";
    /** The request channels counted; any other value of the header counts as other, none as none. */
    static final List<String> CHANNELS = List.of("web", "mobile", "other", "none");

    private final int bound;
    private final Map<String, Activity> activity = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ContactEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger eventCount = new AtomicInteger();
    private final LongAdder[] requests = new LongAdder[CHANNELS.size()];
    private final Counter droppedBuffer;
    private final Counter droppedRedis;

    ContactRecorder(ContactProperties properties, MeterRegistry registry) {
        this.bound = properties.maxBuffered();
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new LongAdder();
        }
        this.droppedBuffer = Counter.builder(DROPPED).tag("reason", "buffer")
                .description("Contact events dropped because the in-memory bound was reached").register(registry);
        this.droppedRedis = Counter.builder(DROPPED).tag("reason", "redis")
                .description("Contact bucket updates given up: Redis away past the in-memory bound")
                .register(registry);
    }

    /** A customer's unwritten activity: first and last request since the last flush, and their tier. */
    static final class Activity {
        final String tier;
        final long first;
        final AtomicLong last;
        /** Set by the flush before it reads {@link #last}; a writer that sees it records again into a new entry. */
        volatile boolean taken;

        Activity(String tier, long at) {
            this.tier = tier;
            this.first = at;
            this.last = new AtomicLong(at);
        }
    }

    /** A self-service request of a customer (any route the journey records, any status). */
    void active(String customer, Tier tier, long at) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Activity entry = activity.get(customer);
            if (entry == null) {
                if (activity.size() >= bound) {
                    droppedBuffer.increment();
                    return;
                }
                entry = activity.computeIfAbsent(customer, c -> new Activity(tier.name().toLowerCase(Locale.ROOT), at));
            }
            entry.last.accumulateAndGet(at, Math::max);
            if (!entry.taken) {
                return;
            }
            activity.remove(customer, entry); // the flush took it meanwhile: this request goes into a new one
        }
    }

    /** An API request with its {@code Surge-Channel} header (or null). */
    void request(@Nullable String channel) {
        int index = channel == null ? 3 : switch (channel) {
            case "web" -> 0;
            case "mobile" -> 1;
            default -> 2;
        };
        requests[index].increment();
    }

    /** Requests counted so far per channel, in {@link #CHANNELS}' order (never reset: the flush takes deltas). */
    long[] requests() {
        long[] totals = new long[requests.length];
        for (int i = 0; i < totals.length; i++) {
            totals[i] = requests[i].sum();
        }
        return totals;
    }

    @Override
    public void escalated(Escalation escalation) {
        add(new ContactEvent.Escalated(escalation.customerId(), escalation.reason(), escalation.channel(),
                escalation.tier().name().toLowerCase(Locale.ROOT), escalation.createdAt().toEpochMilli()));
    }

    @Override
    public void acted(ActionEvent event) {
        add(new ContactEvent.Acted(event.type(), event.customerId(), event.agentId() == null,
                "done".equals(event.outcome()), event.at().toEpochMilli()));
    }

    @Override
    public void answered(QueueListener.Answered answered) {
        add(new ContactEvent.Answered(answered.skill().wire(), answered.waited().toMillis(),
                answered.estimated() == null ? null : answered.estimated().toMillis(), answered.at().toEpochMilli()));
    }

    @Override
    public void abandoned(QueueListener.Abandoned abandoned) {
        add(new ContactEvent.Abandoned(abandoned.skill().wire(), abandoned.waited().toMillis(),
                abandoned.at().toEpochMilli()));
    }

    private void add(ContactEvent event) {
        if (eventCount.incrementAndGet() > bound) {
            eventCount.decrementAndGet();
            droppedBuffer.increment();
            return;
        }
        events.add(event);
    }

    /** One customer's activity as the flush took it. */
    record Taken(String customer, String tier, long first, long last) {
    }

    /** Takes every customer's activity out. Only the flush calls it. */
    List<Taken> takeActivity() {
        List<Taken> taken = new ArrayList<>(activity.size());
        for (Map.Entry<String, Activity> entry : activity.entrySet()) {
            Activity a = entry.getValue();
            a.taken = true;
            activity.remove(entry.getKey(), a);
            taken.add(new Taken(entry.getKey(), a.tier, a.first, a.last.get()));
        }
        return taken;
    }

    /** Takes the other events out, oldest first. Only the flush calls it. */
    List<ContactEvent> takeEvents() {
        List<ContactEvent> taken = new ArrayList<>();
        ContactEvent event;
        while ((event = events.poll()) != null) {
            eventCount.decrementAndGet();
            taken.add(event);
        }
        return taken;
    }

    int bound() {
        return bound;
    }

    void droppedBuffer(long entries) {
        droppedBuffer.increment(entries);
    }

    void droppedRedis(long entries) {
        droppedRedis.increment(entries);
    }
}
