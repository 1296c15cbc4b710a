package dev.surge.gateway.queue;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where an escalation is in its life: waiting ({@code queued}, or {@code callback_scheduled} for a customer who
 * asked to be called back and keeps their place), offered to an agent as a reservation, assigned once the agent
 * accepted, and finally resolved or abandoned by the customer.
 */
public enum EscalationStatus {
    @JsonProperty("queued") QUEUED,
    @JsonProperty("offered") OFFERED,
    @JsonProperty("assigned") ASSIGNED,
    @JsonProperty("resolved") RESOLVED,
    @JsonProperty("abandoned") ABANDONED,
    @JsonProperty("callback_scheduled") CALLBACK_SCHEDULED;

    /** Name on the wire and in Redis. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isWaiting() {
        return this == QUEUED || this == CALLBACK_SCHEDULED;
    }

    public boolean isFinal() {
        return this == RESOLVED || this == ABANDONED;
    }

    public static EscalationStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
