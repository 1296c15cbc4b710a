package dev.surge.gateway.contact;

/**
 * Fixed buckets of queue waits, so a share within a threshold (the service level) can be read for any threshold
 * that is one of the bounds, whatever threshold was configured when the waits were recorded. Each wait is counted in
 * one bucket: the smallest bound it is within (or {@code inf}), in a field {@code <prefix>.b<bound>}.
 */
final class WaitHistogram {

    /** Bounds in seconds: a wait counts in the first bound it is at most. */
    static final long[] BOUNDS = {5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1200, 1800, 3600};
    static final String OVER = "inf";

    private WaitHistogram() {
    }

    static boolean isBound(long seconds) {
        for (long bound : BOUNDS) {
            if (bound == seconds) {
                return true;
            }
        }
        return false;
    }

    /** The bucket's field suffix for a wait: {@code b20} for 15 s < wait ≤ 20 s, {@code binf} past the last. */
    static String bucket(long waitMillis) {
        for (long bound : BOUNDS) {
            if (waitMillis <= bound * 1000) {
                return "b" + bound;
            }
        }
        return "b" + OVER;
    }

    /** How many of the counted waits were within {@code thresholdSeconds}: the buckets up to it. */
    static long within(java.util.function.ToLongFunction<String> count, String prefix, long thresholdSeconds) {
        long sum = 0;
        for (long bound : BOUNDS) {
            if (bound > thresholdSeconds) {
                break;
            }
            sum += count.applyAsLong(prefix + ".b" + bound);
        }
        return sum;
    }
}
