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
}
