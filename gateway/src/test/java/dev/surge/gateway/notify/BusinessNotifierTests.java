package dev.surge.gateway.notify;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A repeat rule that looks further back than the escalation history keeps would never see what it asks about. */
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
}
