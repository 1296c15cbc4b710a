package dev.surge.gateway.queue;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The agent queues: one per skill. An agent token's {@code skills} claim names the queues its agent serves. */
public enum Skill {
    @JsonProperty("orders") ORDERS,
    @JsonProperty("returns") RETURNS,
    @JsonProperty("billing") BILLING,
    @JsonProperty("general") GENERAL;

    /** Name on the wire and in Redis keys. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The skill with this wire name, or null. */
    public static @Nullable Skill fromWire(@Nullable String name) {
        for (Skill skill : values()) {
            if (skill.wire().equals(name)) {
                return skill;
            }
        }
        return null;
    }
}
