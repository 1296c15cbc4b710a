package dev.surge.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.surge.gateway.MutableClock;

class LogThrottleTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LogThrottle throttle = new LogThrottle(clock, Duration.ofSeconds(10));

    @Test
    void oneLinePerKindAndIntervalWithTheCountHeldBack() {
        assertThat(throttle.admit("502 a")).isZero();
        assertThat(throttle.admit("502 a")).isEqualTo(-1);
        assertThat(throttle.admit("502 a")).isEqualTo(-1);
        assertThat(throttle.admit("504 b")).as("another kind has its own window").isZero();
        clock.advance(Duration.ofMillis(9_999));
        assertThat(throttle.admit("502 a")).isEqualTo(-1);
        clock.advance(Duration.ofMillis(1));
        assertThat(throttle.admit("502 a")).as("three held back since the last line").isEqualTo(3);
        assertThat(throttle.admit("502 a")).isEqualTo(-1);
    }

    @Test
    void kindsPastTheBoundShareOneWindow() {
        for (int i = 0; i < LogThrottle.MAX_KINDS; i++) {
            assertThat(throttle.admit("kind " + i)).isZero();
        }
        assertThat(throttle.admit("one more")).isZero();
        assertThat(throttle.admit("and another")).as("shares the overflow window").isEqualTo(-1);
    }
}
