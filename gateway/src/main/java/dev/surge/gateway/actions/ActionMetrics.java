package dev.surge.gateway.actions;

import dev.surge.gateway.core.TaggedCounters;
import dev.surge.gateway.identity.Tier;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code surge.actions{type,outcome,channel,tier}}: what customers (and agents for them) did and how it went. Outcome
 * {@code done}, {@code refused} (the back office's rules or the order's state said no), {@code failed} (the back office
 * was down, overloaded or refused us: not done) or {@code unknown} (timed out: may be done; the client retries with
 * the same key). A retry answered from the stored answer is not counted again.
 */
final class ActionMetrics {

    static final String ACTIONS = "surge.actions";

    enum Outcome { DONE, REFUSED, FAILED, UNKNOWN }

    private final TaggedCounters counters;

    ActionMetrics(MeterRegistry registry) {
        this.counters = new TaggedCounters(registry);
    }

    void record(Action action, Outcome outcome, String channel, Tier tier) {
        counters.get(ACTIONS, "type", action.wire(), "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT),
                "channel", channel, "tier", tier.name().toLowerCase(java.util.Locale.ROOT)).increment();
    }
}
