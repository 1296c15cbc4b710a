package dev.surge.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.surge.gateway.actions.ActionEvent;
import dev.surge.gateway.identity.Tier;
import dev.surge.gateway.queue.Escalation;
import dev.surge.gateway.queue.EscalationStatus;
import dev.surge.gateway.queue.Skill;

/**
 * Which escalations the rules match, and that a repeat rule never looks further back than the escalation history
 * keeps (it would never see what it asks about).
 */
class BusinessNotifierTests {

    private static NotifyProperties.Rule repeat(String name, Duration within) {
        NotifyProperties.Rule rule = new NotifyProperties.Rule();
        rule.setName(name);
        rule.setRepeatWithin(within);
        return rule;
    }

    @Test
    void aRepeatWindowLongerThanTheHistoryStopsTheStartWithTheRuleNamed() {
        assertThatThrownBy(() -> BusinessNotifier.checkWindows(
                List.of(repeat("daily", Duration.ofDays(1)), repeat("monthly", Duration.ofDays(30))),
                Duration.ofDays(7)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("monthly").hasMessageContaining("surge.escalation.history.window");
    }

    @Test
    void windowsWithinTheHistoryAndRulesWithoutOneAreFine() {
        NotifyProperties.Rule tier = new NotifyProperties.Rule();
        tier.setName("platinum");
        tier.setTier("platinum");
        assertThatCode(() -> BusinessNotifier.checkWindows(List.of(tier, repeat("weekly", Duration.ofDays(7))),
                Duration.ofDays(7))).doesNotThrowAnyException();
    }

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private static Escalation escalation(Tier tier, @Nullable List<Escalation.Earlier> earlier) {
        return new Escalation("e-now", "c1", null, EscalationStatus.QUEUED, "billing", "web", Skill.BILLING, tier,
                null, null, new Escalation.Contact(Escalation.Contact.CHAT, null, null, null), NOW, 1, 300L, null,
                null, null, null, null, null, null, null, null, earlier, null);
    }

    private static List<Escalation.Earlier> earlierBy(Duration ago) {
        return List.of(new Escalation.Earlier("e-before", NOW.minus(ago)));
    }

    @Test
    void aRepeatRuleMatchesOnlyAnEarlierEscalationWithinItsWindow() {
        NotifyProperties properties = new NotifyProperties();
        NotifyProperties.Rule platinum = new NotifyProperties.Rule();
        platinum.setName("platinum");
        platinum.setTier("platinum");
        properties.setRules(List.of(platinum, repeat("daily", Duration.ofDays(1))));
        // the rules read only the escalation: no stream, metrics or JSON needed
        BusinessNotifier notifier = new BusinessNotifier(null, properties, null, null,
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(notifier.matching(escalation(Tier.STANDARD, earlierBy(Duration.ofHours(23)))))
                .extracting(NotifyProperties.Rule::getName).containsExactly("daily");
        assertThat(notifier.matching(escalation(Tier.STANDARD, earlierBy(Duration.ofHours(24)))))
                .extracting(NotifyProperties.Rule::getName).containsExactly("daily");
        assertThat(notifier.matching(escalation(Tier.STANDARD, earlierBy(Duration.ofHours(25))))).isEmpty();
        assertThat(notifier.matching(escalation(Tier.STANDARD, List.of()))).isEmpty();
        // spooled while Redis was away: its history is unknown, so a repeat rule does not guess
        assertThat(notifier.matching(escalation(Tier.STANDARD, null))).isEmpty();
        assertThat(notifier.matching(escalation(Tier.PLATINUM, earlierBy(Duration.ofHours(1)))))
                .extracting(NotifyProperties.Rule::getName).containsExactly("platinum", "daily");
    }

    private static ActionEvent action(String type, String outcome, Tier tier, String value) {
        return new ActionEvent(type, outcome, "refused".equals(outcome) ? "final-sale" : null, "c1", tier, "web",
                "O-1", value != null ? new java.math.BigDecimal(value) : null, null, NOW);
    }

    @Test
    void actionRulesMatchActionsByTypeOutcomeTierAndValueAndNeverEscalations() {
        NotifyProperties properties = new NotifyProperties();
        NotifyProperties.Rule refused = new NotifyProperties.Rule();
        refused.setName("platinum-return-refused");
        refused.setAction("return");
        refused.setOutcome("refused");
        refused.setTier("platinum");
        NotifyProperties.Rule big = new NotifyProperties.Rule();
        big.setName("big-cancellation");
        big.setAction("cancellation");
        big.setOutcome("done");
        big.setMinValue(new java.math.BigDecimal("500"));
        NotifyProperties.Rule platinum = new NotifyProperties.Rule();
        platinum.setName("platinum");
        platinum.setTier("platinum");
        properties.setRules(List.of(refused, big, platinum));
        assertThat(List.of(refused, big, platinum)).allMatch(NotifyProperties.Rule::isValid);
        BusinessNotifier notifier = new BusinessNotifier(null, properties, null, null,
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(notifier.matching(action("return", "refused", Tier.PLATINUM, null)))
                .extracting(NotifyProperties.Rule::getName).containsExactly("platinum-return-refused");
        assertThat(notifier.matching(action("return", "refused", Tier.GOLD, null))).isEmpty();
        assertThat(notifier.matching(action("return", "done", Tier.PLATINUM, "20"))).isEmpty();
        assertThat(notifier.matching(action("cancellation", "done", Tier.STANDARD, "500.00")))
                .extracting(NotifyProperties.Rule::getName).containsExactly("big-cancellation");
        assertThat(notifier.matching(action("cancellation", "done", Tier.STANDARD, "499.99"))).isEmpty();
        // An escalation rule hears no actions, and an action rule no escalations.
        assertThat(notifier.matching(escalation(Tier.PLATINUM, List.of())))
                .extracting(NotifyProperties.Rule::getName).containsExactly("platinum");
    }

    @Test
    void anActionRuleNamesAKnownActionAndTakesNoEscalationConditions() {
        NotifyProperties.Rule rule = new NotifyProperties.Rule();
        rule.setName("odd");
        rule.setAction("refund-everything");
        assertThat(rule.isValid()).isFalse();
        rule.setAction("return");
        rule.setReason("billing");
        assertThat(rule.isValid()).isFalse();
        rule.setReason(null);
        rule.setOutcome("maybe");
        assertThat(rule.isValid()).isFalse();
        NotifyProperties.Rule escalationRule = new NotifyProperties.Rule();
        escalationRule.setName("e");
        escalationRule.setTier("gold");
        escalationRule.setOutcome("done");
        assertThat(escalationRule.isValid()).as("outcome only with action").isFalse();
    }
}
