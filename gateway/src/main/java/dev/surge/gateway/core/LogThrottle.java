package dev.surge.gateway.core;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per kind and interval, and the count of lines held back in between: an outage that fails
 * every call must not write a line (let alone a stack trace) per call. Hand-written because Logback's
 * DuplicateMessageFilter drops a message format for good after its allowed repetitions (no interval, no count of what
 * was dropped), and the throttle must cost only a map lookup on the error path.
 */
public final class LogThrottle {

    /** Kinds beyond this share one window, so odd keys cannot grow the map without bound. */
    static final int MAX_KINDS = 256;
    private static final String OTHER = "\u0000other";

    private final Clock clock;
    private final long intervalMillis;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public LogThrottle(Clock clock, Duration interval) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Whether a line of this kind may be written now: -1 to hold it back, else how many were held back since the last
     * line of the kind (0 for the first).
     */
    public long admit(String kind) {
        Window window = windows.get(kind);
        if (window == null) {
            window = windows.size() < MAX_KINDS ? windows.computeIfAbsent(kind, k -> new Window())
                    : windows.computeIfAbsent(OTHER, k -> new Window());
        }
        long now = clock.millis();
        long next = window.next.get();
        if (now >= next && window.next.compareAndSet(next, now + intervalMillis)) {
            return window.held.getAndSet(0);
        }
        window.held.incrementAndGet();
        return -1;
    }

    private static final class Window {
        final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong held = new AtomicLong();
    }
}
