package dev.surge.gateway.admission;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import com.netflix.concurrency.limits.Limit;

/**
 * A concurrency limiter with priority classes over one adaptive {@link Limit} (Gradient2 by default, from Netflix
 * concurrency-limits). Like the library's {@code Limiter}, {@link #tryAcquire} returns a listener on which exactly one
 * of {@code onSuccess}, {@code onIgnore}, {@code onDropped} must be called.
 *
 * <p>Why not the library's {@code AbstractPartitionedLimiter}: its partitions guarantee each class a share and let
 * idle shares be borrowed, which protects classes from each other but does not shed in priority order. Here every
 * class sees the same in-flight count and is cut off at its own fraction of the limit, so the lowest class goes
 * first and the highest keeps the whole limit. The limit algorithm itself stays the library's.
 */
final class PriorityLimiter {

    /** Ends one admitted request; exactly one method is called, once. */
    interface Permit {
        /** Done, and its latency says something about capacity. */
        void onSuccess();

        /** Done, but its latency says nothing (cancelled, a client error, a long-lived stream). */
        void onIgnore();

        /** Timed out or was rejected downstream for lack of capacity: a sign of overload. */
        void onDropped();
    }

    private final Limit limit;
    private final LongSupplier nanoClock;
    private final AtomicInteger inflight = new AtomicInteger();
    /** Highest in-flight count since the waiting room last looked: what it may still admit is judged by it. */
    private final AtomicInteger peak = new AtomicInteger();
    private final Map<Priority, Double> shares;

    PriorityLimiter(Limit limit, LongSupplier nanoClock, Map<Priority, Double> shares) {
        this.limit = limit;
        this.nanoClock = nanoClock;
        this.shares = new EnumMap<>(shares);
    }

    /** A permit, or null when the class is over its share of the limit (shed it). */
    @Nullable Permit tryAcquire(Priority priority) {
        int ceiling = ceiling(priority);
        while (true) {
            int current = inflight.get();
            if (current >= ceiling) {
                return null;
            }
            if (inflight.compareAndSet(current, current + 1)) {
                if (current + 1 > peak.get()) { // a plain read on the usual path; a CAS only at a new high
                    peak.accumulateAndGet(current + 1, Math::max);
                }
                return new TrackedPermit(nanoClock.getAsLong(), current + 1);
            }
        }
    }

    /** In-flight requests a class may join: its share of the current limit, at least one. */
    int ceiling(Priority priority) {
        return Math.max(1, (int) (limit.getLimit() * shares.get(priority)));
    }

    int inflight() {
        return inflight.get();
    }

    /**
     * The most requests that were in flight at once since the previous call (at least those in flight now), and
     * starts a new period. The peak rather than the count at one instant: free room is judged conservatively.
     */
    int takePeakInflight() {
        int now = inflight.get();
        return Math.max(peak.getAndSet(now), now);
    }

    int limit() {
        return limit.getLimit();
    }

    private final class TrackedPermit implements Permit {
        private final long startNanos;
        private final int inflightAtStart;
        private final AtomicInteger done = new AtomicInteger();

        TrackedPermit(long startNanos, int inflightAtStart) {
            this.startNanos = startNanos;
            this.inflightAtStart = inflightAtStart;
        }

        @Override
        public void onSuccess() {
            if (release()) {
                limit.onSample(startNanos, nanoClock.getAsLong() - startNanos, inflightAtStart, false);
            }
        }

        @Override
        public void onIgnore() {
            release();
        }

        @Override
        public void onDropped() {
            if (release()) {
                limit.onSample(startNanos, nanoClock.getAsLong() - startNanos, inflightAtStart, true);
            }
        }

        private boolean release() {
            if (done.compareAndSet(0, 1)) {
                inflight.decrementAndGet();
                return true;
            }
            return false;
        }
    }
}
