package dev.surge.gateway.escalation;

import java.util.Locale;

import org.jspecify.annotations.Nullable;
import dev.surge.gateway.queue.Skill;

/** Why a customer escalates, and the skill queue that handles it. */
enum Reason {
    ORDER_PROBLEM(Skill.ORDERS),
    DELIVERY(Skill.ORDERS),
    RETURN(Skill.RETURNS),
    BILLING(Skill.BILLING),
    OTHER(Skill.GENERAL);

    private final Skill skill;

    Reason(Skill skill) {
        this.skill = skill;
    }

    Skill skill() {
        return skill;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static @Nullable Reason fromWire(String name) {
        for (Reason reason : values()) {
            if (reason.wire().equals(name)) {
                return reason;
            }
        }
        return null;
    }
}
