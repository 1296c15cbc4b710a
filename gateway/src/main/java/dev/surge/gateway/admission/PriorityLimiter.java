package dev.surge.gateway.admission;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
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

    /**
     * What the waiting room needs to know of one period between its looks: the most requests in flight at once, and
     * how many finished (with a latency that counts) and how long they took in all.
     */
    record Period(int peakInflight, long completions, long latencyNanos) {

        /** Most times one slot is taken to turn over in an advance interval: a bound on a burst of admissions. */
        static final double MAX_TURNOVER = 100;

        /**
         * How many requests one free slot serves in {@code interval}: the interval over the mean latency of the
         * period (Little's law), at least 1, at most {@link #MAX_TURNOVER}. 1 when nothing finished: a slot
         * known to be free serves at least one request, and nothing yet says how fast it turns over.
         */
        double turnover(Duration interval) {
            if (completions <= 0) {
                return 1;
            }
            double meanNanos = Math.max(1, (double) latencyNanos / completions);
            return Math.max(1, Math.min(MAX_TURNOVER, interval.toNanos() / meanNanos));
        }
    }

    private final Limit limit;
    private final LongSupplier nanoClock;
    private final AtomicInteger inflight = new AtomicInteger();
    /** Highest in-flight count since the waiting room last looked: what it may still admit is judged by it. */
    private final AtomicInteger peak = new AtomicInteger();
    private final Map<Priority, Double> shares;
    // Adders, not atomics: every completion on every event loop adds to them, and only the waiting room's tick reads.
    private final LongAdder completions = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();

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

    /** Whether {@link #tryAcquire} would shed this class now. */
    boolean full(Priority priority) {
        return inflight.get() >= ceiling(priority);
    }

    int inflight() {
        return inflight.get();
    }

    /**
     * The period since the previous call, and starts a new one: the most requests in flight at once (at least those
     * in flight now; the peak rather than the count at one instant, so free room is judged conservatively), and the
     * requests that finished meanwhile with their summed latency (how fast a slot turns over).
     */
    Period takePeriod() {
        int now = inflight.get();
        int peakInflight = Math.max(peak.getAndSet(now), now);
        return new Period(peakInflight, completions.sumThenReset(), latencyNanos.sumThenReset());
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
                sample(false);
            }
        }

        @Override
        public void onIgnore() {
            release();
        }

        @Override
        public void onDropped() {
            if (release()) {
                sample(true);
            }
        }

        private void sample(boolean dropped) {
            long latency = nanoClock.getAsLong() - startNanos;
            completions.increment();
            latencyNanos.add(latency);
            limit.onSample(startNanos, latency, inflightAtStart, dropped);
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
