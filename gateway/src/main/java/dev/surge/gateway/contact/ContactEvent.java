package dev.surge.gateway.contact;

import org.jspecify.annotations.Nullable;

/** What the listeners hand the recorder, in raw form; {@code at} is the event's time in epoch milliseconds. */
sealed interface ContactEvent {

    long at();

    /** An escalation created (stored, or spooled while Redis was away). */
    record Escalated(String customer, String reason, String channel, String tier, long at) implements ContactEvent {
    }

    /** A self-service action done, refused or failed, by the customer or by an agent for them. */
    record Acted(String action, String customer, boolean byCustomer, boolean applied, long at)
            implements ContactEvent {
    }

    /** An escalation an agent accepted; {@code estimatedMillis} null when not comparable (callbacks). */
    record Answered(String skill, long waitMillis, @Nullable Long estimatedMillis, long at) implements ContactEvent {
    }

    /** An escalation given up while it waited. */
    record Abandoned(String skill, long waitMillis, long at) implements ContactEvent {
    }
}
