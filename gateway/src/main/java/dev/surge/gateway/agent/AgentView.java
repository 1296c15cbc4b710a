package dev.surge.gateway.agent;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.identity.Tier;
import dev.surge.gateway.queue.Escalation;
import dev.surge.gateway.queue.EscalationStatus;
import dev.surge.gateway.queue.Skill;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An escalation as an agent's desktop shows it: everything, with the hand-off context as JSON and the customer's
 * earlier escalations (newest first, within the history window when this one was made), so a customer who is back
 * for the third time this week is not treated as a first-time caller. {@code traceId} is the trace of the request that
 * created it (null for escalations made before it was kept): the way from a case to the requests behind it, in the
 * logs and traces. Customers never see it ({@code escalation.CustomerView}).
 */
record AgentView(String id, String customerId, EscalationStatus status, String reason, String channel, Skill skill,
                 Tier tier, @Nullable String orderId, @Nullable String message, Escalation.Contact contact,
                 Instant createdAt, @Nullable String createdBy, @Nullable String agentId,
                 @Nullable Instant reservationExpiresAt, @Nullable Instant acceptedAt, @Nullable Instant finishedAt,
                 @Nullable String disposition, @Nullable String notes, @Nullable String transferNote,
                 @Nullable List<Escalation.Earlier> earlierEscalations, @Nullable JsonNode context,
                 @Nullable JsonNode actions, @Nullable String traceId) {

    static AgentView of(Escalation e, JsonMapper json) {
        return new AgentView(e.id(), e.customerId(), e.status(), e.reason(), e.channel(), e.skill(), e.tier(),
                e.orderId(), e.message(), e.contact(), e.createdAt(), e.createdBy(), e.agentId(),
                e.reservationExpiresAt(), e.acceptedAt(), e.finishedAt(), e.disposition(), e.notes(),
                e.transferNote(), e.earlier(), e.contextJson() != null ? json.readTree(e.contextJson()) : null,
                e.actionsJson() != null ? json.readTree(e.actionsJson()) : null, e.traceId());
    }
}
