package dev.surge.gateway.escalation;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import dev.surge.gateway.queue.Escalation;
import dev.surge.gateway.queue.EscalationStatus;

/**
 * An escalation as its customer sees it: no hand-off context, no agent id; the agent's display name once an agent
 * took it on.
 */
record CustomerView(String id, EscalationStatus status, String reason, String channel, @Nullable String orderId,
                    @Nullable Integer position, @Nullable Long estimatedWaitSeconds, @Nullable String agentName,
                    Escalation.Contact contact, Instant createdAt, @Nullable Instant finishedAt) {

    static CustomerView of(Escalation e) {
        boolean taken = e.status() == EscalationStatus.ASSIGNED || e.status() == EscalationStatus.RESOLVED;
        return new CustomerView(e.id(), e.status(), e.reason(), e.channel(), e.orderId(), e.position(),
                e.estimatedWaitSeconds(), taken ? e.agentName() : null, e.contact(), e.createdAt(), e.finishedAt());
    }
}
