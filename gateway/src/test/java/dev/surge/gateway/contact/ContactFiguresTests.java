package dev.surge.gateway.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The formulas of docs/metrics.md on hand-made totals: a figure without a denominator is null, the service level's
 * counting rules, the containment unions, and which buckets a window reads.
 */
class ContactFiguresTests {

    private static final ContactProperties DEFAULTS = ContactProperties.defaults();

    private static ContactFigures.Totals totals(Map<String, Long> counts, Map<String, Long> cardinalities) {
        return new ContactFigures.Totals(counts, cardinalities, Map.of());
    }

    private static ContactSummary summary(Map<String, Long> counts, Map<String, Long> cardinalities) {
        return ContactFigures.summary("15m", Instant.EPOCH, Instant.EPOCH, totals(counts, cardinalities), null,
                DEFAULTS);
    }

    @Test
    void nothingHappenedGivesNullFiguresAndZeroCountsNeverNaN() {
        ContactSummary s = summary(Map.of(), Map.of());
        assertThat(s.selfService().containment()).isNull();
        assertThat(s.selfService().sessions().containment()).isNull();
        assertThat(s.selfService().actions()).hasSize(4).allSatisfy(a -> {
            assertThat(a.containment()).isNull();
            assertThat(a.doneWithoutPerson()).isNull();
        });
        assertThat(s.escalations().created()).isZero();
        assertThat(s.escalations().rateByTier()).containsOnlyKeys("standard", "gold", "platinum")
                .allSatisfy((tier, rate) -> assertThat(rate).isNull());
        assertThat(s.escalations().failedSteps()).isEmpty();
        ContactSummary.QueueFigures q = s.queue().overall();
        assertThat(q.averageSpeedOfAnswerSeconds()).isNull();
        assertThat(q.abandonmentRate()).isNull();
        assertThat(q.averageTimeToAbandonSeconds()).isNull();
        assertThat(q.serviceLevel()).isNull();
        assertThat(q.waitAccuracy()).isNull();
        assertThat(q.serviceLevelThresholdSeconds()).isEqualTo(20);
        assertThat(q.serviceLevelTarget()).isEqualTo(0.8);
        assertThat(s.queue().bySkill()).containsOnlyKeys("orders", "returns", "billing", "general");
        assertThat(s.protection().cacheHitRatio()).containsEntry("overall", null);
        assertThat(s.protection().breakers()).isEmpty();
    }

    @Test
    void serviceLevelCountsAnsweredWithinTheThresholdAgainstAnsweredAndAbandonedAfterIt() {
        Map<String, Long> counts = new HashMap<>();
        // Answered: 5 s, 20 s (within: the threshold is inclusive), 21 s (bucket 30).
        counts.put("q:orders:ans", 3L);
        counts.put("q:orders:ans.ms", 46_000L);
        counts.put("q:orders:ans.b5", 1L);
        counts.put("q:orders:ans.b20", 1L);
        counts.put("q:orders:ans.b30", 1L);
        // Abandoned: 10 s (within the threshold: in neither part) and 100 s (after it: counts against).
        counts.put("q:orders:ab", 2L);
        counts.put("q:orders:ab.ms", 110_000L);
        counts.put("q:orders:ab.b10", 1L);
        counts.put("q:orders:ab.b120", 1L);
        counts.put("q:orders:acc.n", 3L);
        counts.put("q:orders:acc.ok", 1L);
        ContactSummary.QueueFigures orders = summary(counts, Map.of()).queue().bySkill().get("orders");
        assertThat(orders.answeredWithinThreshold()).isEqualTo(2);
        assertThat(orders.abandonedAfterThreshold()).isEqualTo(1);
        assertThat(orders.serviceLevel()).isEqualTo(0.5); // 2 ÷ (3 + 1)
        assertThat(orders.abandonmentRate()).isEqualTo(0.4); // 2 ÷ 5
        assertThat(orders.averageSpeedOfAnswerSeconds()).isEqualTo(15.333);
        assertThat(orders.averageTimeToAbandonSeconds()).isEqualTo(55.0);
        assertThat(orders.waitAccuracy()).isEqualTo(0.333);

        // Only abandoned within the threshold: no denominator, so no service level (not 0, not 1).
        ContactSummary.QueueFigures early = summary(Map.of("q:billing:ab", 1L, "q:billing:ab.ms", 3_000L,
                "q:billing:ab.b5", 1L), Map.of()).queue().bySkill().get("billing");
        assertThat(early.serviceLevel()).isNull();
        assertThat(early.abandonmentRate()).isEqualTo(1.0);

        // Another threshold reads other buckets of the same record.
        ContactProperties at30 = new ContactProperties(true, ContactProperties.DEFAULT_WINDOWS, Duration.ofSeconds(30),
                0.9, Duration.ofMinutes(30), Duration.ofSeconds(1), Duration.ofSeconds(30), 100_000,
                Duration.ofMillis(500));
        ContactSummary.QueueFigures wider = ContactFigures.summary("15m", Instant.EPOCH, Instant.EPOCH,
                totals(counts, Map.of()), null, at30).queue().bySkill().get("orders");
        assertThat(wider.serviceLevel()).isEqualTo(0.75); // 3 ÷ (3 + 1)
        assertThat(wider.serviceLevelTarget()).isEqualTo(0.9);
    }

    @Test
    void overallQueueFiguresAddUpTheSkills() {
        Map<String, Long> counts = Map.of("q:orders:ans", 1L, "q:orders:ans.ms", 8_000L, "q:orders:ans.b10", 1L,
                "q:returns:ans", 1L, "q:returns:ans.ms", 15_000L, "q:returns:ans.b15", 1L,
                "q:returns:ab", 1L, "q:returns:ab.ms", 45_000L, "q:returns:ab.b45", 1L);
        ContactSummary.QueueFigures all = summary(counts, Map.of()).queue().overall();
        assertThat(all.answered()).isEqualTo(2);
        assertThat(all.averageSpeedOfAnswerSeconds()).isEqualTo(11.5);
        assertThat(all.abandonmentRate()).isEqualTo(0.333);
        assertThat(all.serviceLevel()).isEqualTo(0.667);
        assertThat(all.waitAccuracy()).isNull(); // no estimate to compare
    }

    @Test
    void containmentTakesEscalatedOutOfActiveThroughTheUnion() {
        Map<String, Long> cards = new HashMap<>();
        cards.put("active", 10L);
        cards.put("escalated", 4L); // 3 of them active, one by phone only
        cards.put("active|escalated", 11L);
        cards.put("sessions", 12L);
        cards.put("sessions:escalated", 3L);
        cards.put("sessions|sessions:escalated", 12L);
        cards.put("tried:return", 4L);
        cards.put("self:return", 2L);
        cards.put("self:return|escalated", 5L); // one self-served returner escalated too
        Map<String, Long> counts = Map.of("act:return:applied", 3L, "act:return:self", 2L, "esc", 4L,
                "esc.c:web", 3L, "esc.c:phone", 1L, "esc.r:return", 4L, "esc.t:gold", 2L);
        cards.put("active:gold", 4L);
        ContactSummary s = summary(counts, cards);
        assertThat(s.selfService().containment()).isEqualTo(0.7); // (11 − 4) ÷ 10
        assertThat(s.selfService().sessions().containment()).isEqualTo(0.75);
        ContactSummary.ActionFigures returns = s.selfService().actions().get(0);
        assertThat(returns.action()).isEqualTo("return");
        assertThat(returns.containment()).isEqualTo(0.25); // (5 − 4) ÷ 4
        assertThat(returns.doneWithoutPerson()).isEqualTo(0.667);
        assertThat(s.escalations().rateByChannel()).containsEntry("web", 0.3).containsEntry("phone", 0.25);
        assertThat(s.escalations().rateByTier()).containsEntry("gold", 0.5).containsEntry("standard", null);

        // An estimate may not make a share leave [0, 1].
        assertThat(ContactFigures.without(3, 5, 10)).isZero();
        assertThat(ContactFigures.without(20, 5, 10)).isEqualTo(10);
    }

    @Test
    void failedStepsAreTheTopTenByCountWithTheirShareOfEscalations() {
        Map<String, Long> counts = new HashMap<>();
        counts.put("esc", 40L);
        for (int i = 0; i < 12; i++) {
            counts.put("step:GET /api/v1/me/orders/{orderId} " + (400 + i), (long) (i == 11 ? 1 : 12 - i));
        }
        List<ContactSummary.FailedStep> steps = summary(counts, Map.of()).escalations().failedSteps();
        assertThat(steps).hasSize(10);
        assertThat(steps.get(0)).isEqualTo(new ContactSummary.FailedStep("GET /api/v1/me/orders/{orderId} 400", 12,
                0.3));
        assertThat(steps).extracting(ContactSummary.FailedStep::count).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void breakersAreOpenWhenAnyInstanceReportedItInTheLastMinute() {
        assertThat(ContactFigures.breakerStates(Map.of("brk:orders:n", 120L, "brk:orders:open", 1L,
                "brk:returns:n", 120L, "brk:returns:half", 3L, "brk:shipping:n", 60L)))
                .containsEntry("orders", "open").containsEntry("returns", "half_open")
                .containsEntry("shipping", "closed");
    }

    @Test
    void aWindowReadsHourBucketsForItsWholeHoursAndMinuteBucketsForTheRest() {
        long now = Instant.parse("2026-11-23T10:37:30Z").toEpochMilli();
        long minute = ContactKeys.minute(now);
        assertThat(ContactKeys.buckets(now, Duration.ofMinutes(15))).hasSize(15)
                .startsWith(ContactKeys.minuteBucket(minute - 14)).endsWith(ContactKeys.minuteBucket(minute));
        List<String> day = ContactKeys.buckets(now, Duration.ofHours(24));
        // Yesterday 10:38-10:59 (22 minutes), 23 whole hours, today 10:00-10:37 (38 minutes).
        assertThat(day).hasSize(22 + 23 + 38);
        assertThat(day.stream().filter(b -> b.contains("{h"))).hasSize(23)
                .contains(ContactKeys.hourBucket(ContactKeys.hour(now) - 1));
        assertThat(ContactKeys.buckets(Instant.parse("2026-11-23T10:59:10Z").toEpochMilli(), Duration.ofHours(1)))
                .containsExactly(ContactKeys.hourBucket(ContactKeys.hour(now)));
        assertThat(ContactKeys.minuteBucket(minute)).isEqualTo("surge:cm:{" + minute + "}:");
    }

    @Test
    void waitsFallInTheFirstBucketTheyAreWithin() {
        assertThat(WaitHistogram.bucket(20_000)).isEqualTo("b20");
        assertThat(WaitHistogram.bucket(20_001)).isEqualTo("b30");
        assertThat(WaitHistogram.bucket(0)).isEqualTo("b5");
        assertThat(WaitHistogram.bucket(3_600_001)).isEqualTo("binf");
    }

    @Test
    void windowsAreNamedAsTheApiTakesThem() {
        assertThat(DEFAULTS.windows()).extracting(ContactProperties::name).containsExactly("15m", "1h", "24h");
        assertThat(DEFAULTS.isValid()).isTrue();
        assertThat(DEFAULTS.isWindowsValid()).isTrue();
        assertThat(DEFAULTS.isServiceLevelThresholdValid()).isTrue();
        ContactProperties odd = new ContactProperties(true, List.of(Duration.ofHours(25)), Duration.ofSeconds(25),
                0.8, Duration.ofMinutes(30), Duration.ofSeconds(1), Duration.ofSeconds(30), 100_000,
                Duration.ofMillis(500));
        assertThat(odd.isWindowsValid()).isFalse();
        assertThat(odd.isServiceLevelThresholdValid()).isFalse();
    }
}
