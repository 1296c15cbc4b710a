package dev.surge.gateway.admission;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * When the admitted pointer passed which places, for as long as admission windows and the rate need: each entry says
 * the pointer went from {@code before} to {@code after} at {@code time}. Immutable (a new history per change, a few
 * per second), so request threads read it without locks.
 *
 * <p>It answers two questions: when was place {@code seq} admitted (its admission window counts from then), and how
 * fast is the queue moving (estimated waits are based on it).
 */
final class AdmissionHistory {

    /** Longest estimate ever given: a day says "not soon" as well as any larger number would. */
    static final long MAX_ESTIMATE_SECONDS = 86_400;

    private final long floor;
    private final long baseTime;
    private final long[] befores;
    private final long[] afters;
    private final long[] times;

    private AdmissionHistory(long floor, long baseTime, long[] befores, long[] afters, long[] times) {
        this.floor = floor;
        this.baseTime = baseTime;
        this.befores = befores;
        this.afters = afters;
        this.times = times;
    }

    /** Nothing known before now: places up to {@code pointer} count as admitted too long ago to still be good. */
    static AdmissionHistory startingAt(long pointer, long now) {
        return new AdmissionHistory(pointer, now, new long[0], new long[0], new long[0]);
    }

    /**
     * A history from the advances Redis kept ({@code before, after, time} each), for an instance that joins a queue
     * already moving, so that the places admitted just before it started keep their windows here too.
     */
    static AdmissionHistory seeded(List<long[]> advances, long pointer, long now) {
        List<long[]> sorted = advances.stream().filter(a -> a[1] > a[0] && a[1] <= pointer)
                .sorted(Comparator.comparingLong(a -> a[1])).toList();
        if (sorted.isEmpty()) {
            return startingAt(pointer, now);
        }
        int n = sorted.size();
        long[] befores = new long[n];
        long[] afters = new long[n];
        long[] times = new long[n];
        long latestTime = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            befores[i] = sorted.get(i)[0];
            afters[i] = sorted.get(i)[1];
            // Instances' clocks differ a little; times are kept in the order of the places they admitted.
            latestTime = Math.max(latestTime, sorted.get(i)[2]);
            times[i] = latestTime;
        }
        AdmissionHistory history = new AdmissionHistory(befores[0], times[0], befores, afters, times);
        return history.advancedTo(pointer, now, Long.MAX_VALUE);
    }

    /** The pointer as last seen: every place up to it is admitted. */
    long latest() {
        return afters.length > 0 ? afters[afters.length - 1] : floor;
    }

    /** This history with the pointer seen at {@code pointer} now, and entries older than the retention dropped. */
    AdmissionHistory advancedTo(long pointer, long now, long retentionMillis) {
        long[] b = befores;
        long[] a = afters;
        long[] t = times;
        if (pointer > latest()) {
            b = append(b, latest());
            a = append(a, pointer);
            t = append(t, Math.max(now, t.length > 0 ? t[t.length - 1] : now));
        }
        int drop = 0;
        long limit = retentionMillis == Long.MAX_VALUE ? Long.MIN_VALUE : now - retentionMillis;
        while (drop < t.length && t[drop] < limit) {
            drop++;
        }
        if (drop == 0) {
            return b == befores ? this : new AdmissionHistory(floor, baseTime, b, a, t);
        }
        return new AdmissionHistory(a[drop - 1], t[drop - 1], Arrays.copyOfRange(b, drop, b.length),
                Arrays.copyOfRange(a, drop, a.length), Arrays.copyOfRange(t, drop, t.length));
    }

    /**
     * When the pointer reached {@code seq}; empty when it has not, or did so before this history begins (too long
     * ago for any admission window).
     */
    OptionalLong admittedAt(long seq) {
        if (seq <= floor || seq > latest()) {
            return OptionalLong.empty();
        }
        int low = 0;
        int high = afters.length - 1;
        while (low < high) { // the first entry whose after reaches seq
            int mid = (low + high) >>> 1;
            if (afters[mid] >= seq) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return OptionalLong.of(times[low]);
    }

    /**
     * Places admitted per second over the last {@code windowMillis} (or since this history begins, if later),
     * measured over at least one second so a single advance right after start-up does not read as a torrent.
     */
    double ratePerSecond(long now, long windowMillis) {
        long from = Math.max(now - windowMillis, baseTime);
        long pointerThen = floor;
        for (int i = 0; i < times.length && times[i] <= from; i++) {
            pointerThen = afters[i];
        }
        long span = Math.max(now - from, 1_000);
        return (latest() - pointerThen) * 1_000.0 / span;
    }

    /**
     * Seconds until place {@code position} (1 = next) is likely admitted: {@code ceil(position ÷ rate)} at the
     * measured rate; with no admission measured in the window, as if one were admitted per window (a wait at least
     * that long is all that is known). At most a day.
     */
    long estimatedWaitSeconds(long position, long now, long windowMillis) {
        if (position <= 0) {
            return 0;
        }
        double rate = ratePerSecond(now, windowMillis);
        double seconds = rate > 0 ? Math.ceil(position / rate)
                : (double) position * Math.max(1, (windowMillis + 999) / 1000);
        return (long) Math.min(seconds, MAX_ESTIMATE_SECONDS);
    }

    private static long[] append(long[] values, long value) {
        long[] longer = Arrays.copyOf(values, values.length + 1);
        longer[values.length] = value;
        return longer;
    }
}
