package dev.surge.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.AIMDLimit;

/** Priority classes over one limit: the lowest is cut off first, the highest keeps the whole limit. */
class PriorityLimiterTests {

    private static Map<Priority, Double> defaultShares() {
        Map<Priority, Double> shares = new EnumMap<>(Priority.class);
        for (Priority priority : Priority.values()) {
            shares.put(priority, priority.defaultShare());
        }
        return shares;
    }

    private final AtomicLong nanos = new AtomicLong();
    private final PriorityLimiter limiter = new PriorityLimiter(FixedLimit.of(100), nanos::get, defaultShares());

    private List<PriorityLimiter.Permit> fill(Priority priority, int count) {
        List<PriorityLimiter.Permit> permits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PriorityLimiter.Permit permit = limiter.tryAcquire(priority);
            assertThat(permit).as("permit %d of %s", i, priority).isNotNull();
            permits.add(permit);
        }
        return permits;
    }

    @Test
    void lowerClassesAreShedFirstWhileHigherOnesStillGetIn() {
        fill(Priority.ANONYMOUS, 50);
        assertThat(limiter.tryAcquire(Priority.ANONYMOUS)).isNull();
        fill(Priority.STANDARD_READ, 10);
        assertThat(limiter.tryAcquire(Priority.STANDARD_READ)).isNull();
        fill(Priority.GOLD_READ, 10);
        assertThat(limiter.tryAcquire(Priority.GOLD_READ)).isNull();
        fill(Priority.PLATINUM_READ, 10);
        assertThat(limiter.tryAcquire(Priority.PLATINUM_READ)).isNull();
        fill(Priority.ACTION, 10);
        assertThat(limiter.tryAcquire(Priority.ACTION)).isNull();
        fill(Priority.AGENT_AND_ESCALATION, 10);
        assertThat(limiter.tryAcquire(Priority.AGENT_AND_ESCALATION)).isNull();
        assertThat(limiter.inflight()).isEqualTo(100);
    }

    @Test
    void releasingAPermitMakesRoomAndEachPermitReleasesOnce() {
        List<PriorityLimiter.Permit> permits = fill(Priority.ANONYMOUS, 50);
        assertThat(limiter.tryAcquire(Priority.ANONYMOUS)).isNull();
        permits.get(0).onSuccess();
        permits.get(0).onIgnore(); // a second end must not free a second slot
        assertThat(limiter.inflight()).isEqualTo(49);
        assertThat(limiter.tryAcquire(Priority.ANONYMOUS)).isNotNull();
        assertThat(limiter.tryAcquire(Priority.ANONYMOUS)).isNull();
    }

    @Test
    void dropsAndSlowAnswersBringTheLimitDownSoSheddingStartsEarlier() {
        // AIMD from the same library: a drop or an answer slower than 100 ms multiplies the limit by 0.5. It shows
        // the wiring (which end of a permit reports what); Gradient2, the default, reads the same samples.
        AIMDLimit aimd = AIMDLimit.newBuilder().initialLimit(100).minLimit(10).maxLimit(1_000).backoffRatio(0.5)
                .timeout(100, TimeUnit.MILLISECONDS).build();
        PriorityLimiter adaptive = new PriorityLimiter(aimd, nanos::get, defaultShares());
        int standardBefore = adaptive.ceiling(Priority.STANDARD_READ);

        PriorityLimiter.Permit dropped = adaptive.tryAcquire(Priority.STANDARD_READ);
        dropped.onDropped();
        assertThat(adaptive.limit()).isEqualTo(50);

        PriorityLimiter.Permit slow = adaptive.tryAcquire(Priority.STANDARD_READ);
        nanos.addAndGet(150_000_000);
        slow.onSuccess();
        assertThat(adaptive.limit()).isEqualTo(25);

        PriorityLimiter.Permit ignored = adaptive.tryAcquire(Priority.STANDARD_READ);
        nanos.addAndGet(150_000_000);
        ignored.onIgnore(); // a cancelled request says nothing about capacity
        assertThat(adaptive.limit()).isEqualTo(25);

        assertThat(adaptive.ceiling(Priority.STANDARD_READ)).isLessThan(standardBefore).isEqualTo(15);
        assertThat(adaptive.ceiling(Priority.AGENT_AND_ESCALATION)).isEqualTo(25);
    }

    @Test
    void thePeakInFlightSinceTheLastLookIsKeptEvenAfterRequestsEnd() {
        List<PriorityLimiter.Permit> permits = fill(Priority.ANONYMOUS, 30);
        permits.subList(0, 20).forEach(PriorityLimiter.Permit::onSuccess);
        assertThat(limiter.inflight()).isEqualTo(10);
        assertThat(limiter.takePeriod().peakInflight()).as("the 30 at once, not the 10 left").isEqualTo(30);
        assertThat(limiter.takePeriod().peakInflight()).as("a new period starts from those in flight").isEqualTo(10);
        fill(Priority.ANONYMOUS, 5);
        assertThat(limiter.takePeriod().peakInflight()).isEqualTo(15);
    }

    @Test
    void aPeriodCountsTheRequestsThatFinishedAndHowLongTheyTook() {
        PriorityLimiter.Permit fast = limiter.tryAcquire(Priority.STANDARD_READ);
        PriorityLimiter.Permit slow = limiter.tryAcquire(Priority.STANDARD_READ);
        PriorityLimiter.Permit cancelled = limiter.tryAcquire(Priority.STANDARD_READ);
        nanos.addAndGet(2_000_000);
        fast.onSuccess();
        nanos.addAndGet(4_000_000);
        slow.onDropped();
        cancelled.onIgnore(); // says nothing about how fast a slot turns over
        PriorityLimiter.Period period = limiter.takePeriod();
        assertThat(period.completions()).isEqualTo(2);
        assertThat(period.latencyNanos()).isEqualTo(8_000_000);
        // A mean of 4 ms: a slot free for 250 ms serves 62.5 requests.
        assertThat(period.turnover(Duration.ofMillis(250))).isEqualTo(62.5);
        assertThat(limiter.takePeriod().completions()).as("a new period").isZero();
    }

    @Test
    void aSlotTurnsOverAtLeastOnceAndAtMostTheBoundInAnInterval() {
        Duration interval = Duration.ofMillis(250);
        assertThat(new PriorityLimiter.Period(0, 0, 0).turnover(interval)).as("nothing finished").isEqualTo(1);
        assertThat(new PriorityLimiter.Period(0, 1, 1_000_000_000).turnover(interval)).as("slower than the interval")
                .isEqualTo(1);
        assertThat(new PriorityLimiter.Period(0, 1_000, 1_000).turnover(interval)).as("1 ns each")
                .isEqualTo(PriorityLimiter.Period.MAX_TURNOVER);
    }
}
