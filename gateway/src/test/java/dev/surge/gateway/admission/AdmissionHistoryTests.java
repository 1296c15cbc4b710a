package dev.surge.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/** When places were admitted, and how fast the queue moves: the basis of admission windows and estimated waits. */
class AdmissionHistoryTests {

    private static final long T0 = 1_800_000_000_000L;
    private static final long RETENTION = 40_000;
    private static final long RATE_WINDOW = 10_000;

    @Test
    void aPlaceIsAdmittedWhenThePointerFirstReachedIt() {
        AdmissionHistory history = AdmissionHistory.startingAt(10, T0)
                .advancedTo(13, T0 + 250, RETENTION)
                .advancedTo(13, T0 + 500, RETENTION) // no move: nothing recorded
                .advancedTo(20, T0 + 750, RETENTION);
        assertThat(history.latest()).isEqualTo(20);
        assertThat(history.admittedAt(11)).hasValue(T0 + 250);
        assertThat(history.admittedAt(13)).hasValue(T0 + 250);
        assertThat(history.admittedAt(14)).hasValue(T0 + 750);
        assertThat(history.admittedAt(20)).hasValue(T0 + 750);
        assertThat(history.admittedAt(21)).as("not admitted yet").isEmpty();
        assertThat(history.admittedAt(10)).as("admitted before this history began").isEmpty();
    }

    @Test
    void entriesOlderThanTheRetentionAreForgottenAndTheirPlacesCountAsLongAgo() {
        AdmissionHistory history = AdmissionHistory.startingAt(0, T0)
                .advancedTo(5, T0, RETENTION)
                .advancedTo(9, T0 + 30_000, RETENTION);
        assertThat(history.admittedAt(3)).hasValue(T0);
        AdmissionHistory later = history.advancedTo(9, T0 + RETENTION + 1, RETENTION);
        assertThat(later.admittedAt(3)).isEqualTo(OptionalLong.empty());
        assertThat(later.admittedAt(7)).hasValue(T0 + 30_000);
        assertThat(later.advancedTo(9, T0 + RETENTION + 2, RETENTION)).as("nothing to change: the same history")
                .isSameAs(later.advancedTo(9, T0 + RETENTION + 2, RETENTION).advancedTo(9, T0 + RETENTION + 2,
                        RETENTION));
    }

    @Test
    void theRateIsPlacesAdmittedOverTheWindowAndTheWaitFollowsFromIt() {
        AdmissionHistory history = AdmissionHistory.startingAt(100, T0);
        for (int tick = 1; tick <= 80; tick++) { // 2 places every 250 ms = 8 per second, for 20 s
            history = history.advancedTo(100 + 2L * tick, T0 + 250L * tick, RETENTION);
        }
        long now = T0 + 20_000;
        assertThat(history.ratePerSecond(now, RATE_WINDOW)).isEqualTo(8.0);
        assertThat(history.estimatedWaitSeconds(1, now, RATE_WINDOW)).isEqualTo(1);
        assertThat(history.estimatedWaitSeconds(80, now, RATE_WINDOW)).isEqualTo(10);
        assertThat(history.estimatedWaitSeconds(81, now, RATE_WINDOW)).isEqualTo(11);
        assertThat(history.estimatedWaitSeconds(0, now, RATE_WINDOW)).isZero();

        // The queue stalls: after a full window without an admission the rate is zero, and the estimate is what
        // that proves, one place per window at best.
        long stalled = now + RATE_WINDOW;
        assertThat(history.ratePerSecond(stalled, RATE_WINDOW)).isZero();
        assertThat(history.estimatedWaitSeconds(3, stalled, RATE_WINDOW)).isEqualTo(30);
        assertThat(history.estimatedWaitSeconds(1_000_000, stalled, RATE_WINDOW))
                .isEqualTo(AdmissionHistory.MAX_ESTIMATE_SECONDS);
    }

    @Test
    void aYoungHistoryMeasuresOverWhatItHasSeenButAtLeastASecond() {
        AdmissionHistory history = AdmissionHistory.startingAt(0, T0).advancedTo(4, T0 + 250, RETENTION);
        assertThat(history.ratePerSecond(T0 + 250, RATE_WINDOW)).isEqualTo(4.0);
        assertThat(history.ratePerSecond(T0 + 2_000, RATE_WINDOW)).isEqualTo(2.0);
    }

    @Test
    void anInstanceThatJoinsLateLearnsRecentAdmissionsFromTheAdvancesRedisKept() {
        // Advances by two instances, as tick.lua answers them (before, after, time), out of order, one clock behind.
        List<long[]> kept = List.of(new long[] {7, 9, T0 + 500}, new long[] {5, 7, T0 + 260},
                new long[] {9, 12, T0 + 400});
        AdmissionHistory history = AdmissionHistory.seeded(kept, 12, T0 + 600);
        assertThat(history.latest()).isEqualTo(12);
        assertThat(history.admittedAt(6)).hasValue(T0 + 260);
        assertThat(history.admittedAt(8)).hasValue(T0 + 500);
        assertThat(history.admittedAt(10)).as("times follow the order of places").hasValue(T0 + 500);
        assertThat(history.admittedAt(5)).isEmpty();

        AdmissionHistory empty = AdmissionHistory.seeded(List.of(), 12, T0 + 600);
        assertThat(empty.latest()).isEqualTo(12);
        assertThat(empty.admittedAt(12)).isEmpty();
    }
}
