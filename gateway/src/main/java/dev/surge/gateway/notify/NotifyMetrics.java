package dev.surge.gateway.notify;

import dev.surge.gateway.core.TaggedCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Events per rule, events that could not be written, writes tried again, and webhook attempts and outcomes. */
final class NotifyMetrics {

    static final String EVENTS = "surge.notify.events";
    static final String EVENT_FAILURES = "surge.notify.event.failures";
    static final String EVENT_WRITE_RETRIES = "surge.notify.event.write.retries";
    static final String WEBHOOK_ATTEMPTS = "surge.notify.webhook.attempts";
    static final String WEBHOOK_DELIVERIES = "surge.notify.webhook.deliveries";

    private final TaggedCounters counters;

    NotifyMetrics(MeterRegistry registry) {
        this.counters = new TaggedCounters(registry);
    }

    void event(String rule) {
        counter(EVENTS, "rule", rule).increment();
    }

    void eventFailed() {
        counter(EVENT_FAILURES).increment();
    }

    /** A write of a batch of events that failed and will be tried again. */
    void writeRetried() {
        counter(EVENT_WRITE_RETRIES).increment();
    }

    /** One POST: {@code ok} or {@code error}. */
    void attempt(String outcome) {
        counter(WEBHOOK_ATTEMPTS, "outcome", outcome).increment();
    }

    /**
     * A delivery's end: {@code delivered}, {@code rejected} (a 4xx the receiver will not change its mind about), or
     * {@code failed} (attempts ran out; it will be redelivered).
     */
    void delivery(String outcome) {
        counter(WEBHOOK_DELIVERIES, "outcome", outcome).increment();
    }

    private Counter counter(String name, String... tags) {
        return counters.get(name, tags);
    }
}
