package dev.surge.gateway.contact;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code GET /api/v1/ops/summary}: every figure of docs/metrics.md over one window, fleet-wide. A figure without a
 * denominator (nothing happened) is null, written as {@code null} (the app leaves nulls out elsewhere). Names are a
 * contract (the supervisor page reads them): fields may be added, never renamed.
 *
 * @param now the queues as they are now; null where only the window's figures are wanted (the gauges)
 */
@JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
public record ContactSummary(String window, Instant from, Instant to, SelfService selfService,
                             Escalations escalations, Queue queue, @Nullable Now now, Protection protection) {

    /**
     * @param activeCustomers customers with a self-service step in the window
     * @param escalatedCustomers customers with an escalation created in the window (active or not)
     * @param containment active customers who did not escalate ÷ active customers
     */
    @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
    public record SelfService(long activeCustomers, long escalatedCustomers, @Nullable Double containment,
                              Sessions sessions, List<ActionFigures> actions) {
    }

    @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
    public record Sessions(long active, long escalated, @Nullable Double containment) {
    }

    /**
     * @param attempted customers who tried the action themselves (any outcome)
     * @param applied writes applied, by the customer or an agent for them
     * @param appliedByCustomer writes applied with the customer as actor
     * @param containment customers who completed it themselves and did not escalate ÷ attempted
     * @param doneWithoutPerson applied by the customer ÷ applied
     */
    @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
    public record ActionFigures(String action, long attempted, long applied, long appliedByCustomer,
                                @Nullable Double containment, @Nullable Double doneWithoutPerson) {
    }

    /**
     * @param rateByTier escalations of the tier ÷ active customers of the tier
     * @param rateByReason escalations for the reason ÷ active customers
     * @param rateByChannel web and mobile: escalations from it ÷ active customers; phone: ÷ all escalations
     * @param failedSteps the top 10 steps that failed last before an escalation, with their share of escalations
     */
    @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
    public record Escalations(long created, Map<String, Long> byReason, Map<String, Long> byChannel,
                              Map<String, Long> byTier, Map<String, @Nullable Double> rateByTier,
                              Map<String, @Nullable Double> rateByReason, Map<String, @Nullable Double> rateByChannel,
                              List<FailedStep> failedSteps) {
    }

    public record FailedStep(String step, long count, double share) {
    }

    @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
    public record Queue(QueueFigures overall, Map<String, QueueFigures> bySkill) {
    }

    /**
     * @param answeredWithinThreshold answered with a wait of at most the threshold
     * @param abandonedAfterThreshold abandoned after waiting longer than the threshold (those within count in
     *                                neither part of the service level)
     */
    @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
    public record QueueFigures(long answered, long abandoned, @Nullable Double averageSpeedOfAnswerSeconds,
                               @Nullable Double abandonmentRate, @Nullable Double averageTimeToAbandonSeconds,
                               @Nullable Double serviceLevel, long serviceLevelThresholdSeconds,
                               double serviceLevelTarget, @Nullable Double waitAccuracy,
                               long answeredWithinThreshold, long abandonedAfterThreshold) {
    }

    @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
    public record Now(List<QueueNow> queues, long agentsPresent) {
    }

    /** One skill's queue now: waiting, the oldest wait (null when empty), held by agents, agents present. */
    @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
    public record QueueNow(String skill, long depth, @Nullable Long oldestWaitSeconds, long held, long agents) {
    }

    /**
     * @param cacheHitRatio {@code overall} (near and Redis hits ÷ lookups), {@code near}, {@code redis}
     * @param breakers per dependency: its state {@code now} (the worst any instance reported in the last minute)
     *                 and the share of reports in the window that were open
     */
    @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
    public record Protection(Map<String, Long> requestsByChannel, Map<String, @Nullable Double> cacheHitRatio,
                             long cacheLookups, Map<String, Long> rateLimited, Map<String, Long> shed,
                             Map<String, Breaker> breakers) {
    }

    @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
    public record Breaker(String now, @Nullable Double openShare) {
    }
}
