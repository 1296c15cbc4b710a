package dev.surge.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.surge.gateway.MutableClock;

/** The sliding-window arithmetic and the sync bookkeeping, with a clock that only moves when told. */
class SlidingWindowLimiterTests {

    private static final List<RateWindow> TEN_PER_SECOND_FIFTY_PER_MINUTE = List.of(
            new RateWindow("burst", 10, Duration.ofSeconds(1)), new RateWindow("quota", 50, Duration.ofMinutes(1)));

    // Start exactly at a minute boundary so the windows' positions are known.
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final SlidingWindowLimiter limiter = new SlidingWindowLimiter(clock, 1_000, Duration.ofHours(1), 0);

    @Test
    void admitsUpToTheLimitThenRefusesWithRetryAfterAndHeadersInfo() {
        for (int i = 0; i < 10; i++) {
            SlidingWindowLimiter.Decision decision = acquire("c1");
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(9 - i);
            assertThat(decision.window().name()).isEqualTo("burst");
        }
        SlidingWindowLimiter.Decision refused = acquire("c1");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.window().name()).isEqualTo("burst");
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 2L);
        // another key is unaffected
        assertThat(acquire("c2").allowed()).isTrue();
    }

    @Test
    void thePreviousWindowWeighsLessAsTheCurrentOneAdvances() {
        for (int i = 0; i < 10; i++) {
            acquire("c1");
        }
        clock.advance(Duration.ofMillis(1_050)); // 5% into the next second: the last one still weighs 9.5 of 10
        assertThat(acquire("c1").allowed()).isFalse();
        clock.advance(Duration.ofMillis(450)); // halfway: 5 weigh, room for 5 more
        int admitted = 0;
        while (acquire("c1").allowed()) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(5); // the previous 10 weigh 5: five more fit, the sixth would make 11
    }

    @Test
    void theMinuteQuotaHoldsAcrossManyBursts() {
        int admitted = 0;
        for (int second = 0; second < 30; second++) {
            for (int i = 0; i < 10; i++) {
                if (acquire("c1").allowed()) {
                    admitted++;
                }
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(admitted).isEqualTo(50);
        SlidingWindowLimiter.Decision refused = acquire("c1");
        assertThat(refused.window().name()).isEqualTo("quota");
        assertThat(refused.retryAfterSeconds()).isGreaterThan(1L);
    }

    @Test
    void otherInstancesCountsLearnedFromRedisCountAgainstTheLimit() {
        for (int i = 0; i < 3; i++) {
            acquire("c1");
        }
        List<SlidingWindowLimiter.SyncItem> items = limiter.drain();
        assertThat(items).hasSize(2); // burst and quota counters
        assertThat(items).allSatisfy(item -> assertThat(item.delta()).isEqualTo(3));
        assertThat(items.get(0).currentKey()).matches("surge:rl:\\{\\d+}:read:c1:burst:\\d+");
        // Redis says 9 in this second in all: 6 of them from other instances
        limiter.apply(items.get(0), 9, 0);
        limiter.apply(items.get(1), 9, 0);
        assertThat(acquire("c1").allowed()).isTrue();
        assertThat(acquire("c1").allowed()).isFalse();
        assertThat(limiter.drain()).allSatisfy(item -> assertThat(item.delta()).isEqualTo(1));
    }

    @Test
    void requestsNotSentBecauseRedisFailedGoInTheNextBatch() {
        acquire("c1");
        acquire("c1");
        List<SlidingWindowLimiter.SyncItem> failed = limiter.drain();
        failed.forEach(limiter::restore);
        acquire("c1");
        assertThat(limiter.drain()).extracting(SlidingWindowLimiter.SyncItem::delta).containsOnly(3L);
        assertThat(limiter.drain()).isEmpty(); // nothing happened since
    }

    @Test
    void aWindowRedisHasNotAnsweredForIsAskedAboutEvenWithoutNewRequests() {
        List<RateWindow> onePerMinute = List.of(new RateWindow("quota", 1, Duration.ofMinutes(1)));
        assertThat(limiter.tryAcquire(RouteClass.ACTION, "c1", onePerMinute).allowed()).isTrue();
        assertThat(limiter.drain()).extracting(SlidingWindowLimiter.SyncItem::delta).containsExactly(1L);
        // the answer is lost; a refused request adds nothing, but the window's global count is still unknown
        assertThat(limiter.tryAcquire(RouteClass.ACTION, "c1", onePerMinute).allowed()).isFalse();
        List<SlidingWindowLimiter.SyncItem> ask = limiter.drain();
        assertThat(ask).extracting(SlidingWindowLimiter.SyncItem::delta).containsExactly(0L);
        limiter.apply(ask.get(0), 1, 0);
        assertThat(limiter.tryAcquire(RouteClass.ACTION, "c1", onePerMinute).allowed()).isFalse();
        assertThat(limiter.drain()).isEmpty(); // known now, and nothing to add
    }

    @Test
    void farFromItsLimitACounterStaysLocalAndNearItEveryRequestIsSent() {
        SlidingWindowLimiter deferring = new SlidingWindowLimiter(clock, 1_000, Duration.ofHours(1), 0.25);
        List<RateWindow> twentyPerSecond = List.of(new RateWindow("burst", 20, Duration.ofSeconds(1)));
        for (int i = 0; i < 3; i++) {
            assertThat(deferring.tryAcquire(RouteClass.READ, "c1", twentyPerSecond).allowed()).isTrue();
        }
        // 3 unsent, a quarter of the headroom (17) is 4: not worth a Redis call yet
        assertThat(deferring.drain()).isEmpty();
        deferring.tryAcquire(RouteClass.READ, "c1", twentyPerSecond);
        List<SlidingWindowLimiter.SyncItem> items = deferring.drain();
        assertThat(items).extracting(SlidingWindowLimiter.SyncItem::delta).containsExactly(4L);
        // Redis says 16 in all: 12 from other instances, headroom 4, so from now on every request is sent
        deferring.apply(items.get(0), 16, 0);
        deferring.tryAcquire(RouteClass.READ, "c1", twentyPerSecond);
        assertThat(deferring.drain()).extracting(SlidingWindowLimiter.SyncItem::delta).containsExactly(1L);
        // another caller far from its limit costs Redis nothing, and neither does its old window's rest
        deferring.tryAcquire(RouteClass.READ, "c2", twentyPerSecond);
        clock.advance(Duration.ofSeconds(1));
        deferring.tryAcquire(RouteClass.READ, "c2", twentyPerSecond);
        assertThat(deferring.drain()).isEmpty();
    }

    private SlidingWindowLimiter.Decision acquire(String caller) {
        return limiter.tryAcquire(RouteClass.READ, caller, TEN_PER_SECOND_FIFTY_PER_MINUTE);
    }
}
