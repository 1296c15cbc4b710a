package dev.surge.gateway.core;

import java.time.Duration;

/** Range checks for the durations the properties classes validate. */
public final class Durations {

    private Durations() {
    }

    /** Whether {@code value} lies in {@code [min, max]}. */
    public static boolean within(Duration value, Duration min, Duration max) {
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
    }
}
