package dev.surge.gateway.ratelimit;

import java.util.List;

/**
 * The counters of one rate-limit key (route class + caller), one {@link Window} per configured window. All access
 * holds this object's monitor: decisions and sync updates are a few arithmetic operations, never I/O.
 *
 * <p>A window's unsent requests go to Redis once they reach {@code syncFraction} of the headroom this instance sees
 * (limit minus the counts it knows of), at least one request. Far from its limit a caller's counter is left alone
 * (a customer reading twice a second against 20 a second never costs Redis anything); near it every request is
 * sent at the next sync. The price is the accuracy bound in docs/architecture.md: another instance may hold up to
 * that fraction of the limit unsent. {@code syncFraction} 0 sends every count at every sync.
 */
final class KeyState {

    private final String key;
    private final int shard;
    private final double syncFraction;
    private final Window[] windows;

    KeyState(String key, int windowCount, double syncFraction) {
        this.key = key;
        this.syncFraction = syncFraction;
        this.shard = Math.floorMod(key.hashCode(), RedisRateLimitSync.SHARDS);
        this.windows = new Window[windowCount];
        for (int i = 0; i < windowCount; i++) {
            windows[i] = new Window();
        }
    }

    /** One window's counts. Index = epoch millis ÷ period, the same on every instance. */
    private static final class Window {
        long index = -1;
        long periodMillis;
        int limit;
        String name = "";
        long local;       // admitted by this instance in the current window
        long unsent;      // of which Redis has not been told yet
        long sent;        // of which Redis has been told
        long others;      // admitted by the other instances, as of the last sync
        long previous;    // global total of the previous window, as far as known
        boolean synced;   // Redis has answered for this window at least once
        List<Carry> carried = List.of();

        void roll(long now, RateWindow window, double syncFraction) {
            periodMillis = window.periodMillis();
            limit = window.limit();
            name = window.name();
            long current = now / periodMillis;
            if (current == index) {
                return;
            }
            if (unsent > 0 && due(syncFraction)) { // the old window's last requests still go to Redis
                carried = List.of(new Carry(index, unsent));
            }
            previous = current == index + 1 ? local + others : 0;
            index = current;
            local = 0;
            unsent = 0;
            sent = 0;
            others = 0;
            synced = false;
        }

        /** Whether the unsent requests are worth a Redis call now (see the class comment). */
        boolean due(double syncFraction) {
            if (syncFraction <= 0) {
                return unsent > 0 || !synced;
            }
            long headroom = limit - local - others - previous;
            return unsent > 0 && unsent >= Math.max(1, (long) (syncFraction * headroom));
        }

        double estimate(long now) {
            double overlap = 1.0 - (double) (now - index * periodMillis) / periodMillis;
            return previous * overlap + local + others;
        }

        /** Seconds until one more request fits, for Retry-After. */
        long retryAfterSeconds(long now, int limit) {
            long elapsed = now - index * periodMillis;
            long current = local + others;
            double waitMillis;
            if (current + 1 > limit) {
                // only once the next window has begun and this one's weight has fallen far enough
                double fraction = 1.0 - (double) (limit - 1) / current;
                waitMillis = (periodMillis - elapsed) + fraction * periodMillis;
            } else {
                // the previous window's weight must fall until the request fits
                double fraction = previous == 0 ? 0 : 1.0 - (double) (limit - 1 - current) / previous;
                waitMillis = Math.max(0, fraction * periodMillis - elapsed);
            }
            return Math.max(1, (long) Math.ceil(waitMillis / 1000.0));
        }

        long resetSeconds(long now) {
            return Math.max(1, ((index + 1) * periodMillis - now + 999) / 1000);
        }
    }

    private record Carry(long index, long delta) {
    }

    synchronized SlidingWindowLimiter.Decision tryAcquire(List<RateWindow> limits, long now) {
        int tightest = 0;
        double tightestLeft = Double.MAX_VALUE;
        for (int i = 0; i < windows.length; i++) {
            Window window = windows[i];
            window.roll(now, limits.get(i), syncFraction);
            double left = limits.get(i).limit() - window.estimate(now) - 1;
            if (left < 0) {
                return new SlidingWindowLimiter.Decision(false, limits.get(i), 0, window.resetSeconds(now),
                        window.retryAfterSeconds(now, limits.get(i).limit()));
            }
            if (left < tightestLeft) {
                tightestLeft = left;
                tightest = i;
            }
        }
        for (Window window : windows) {
            window.local++;
            window.unsent++;
        }
        return new SlidingWindowLimiter.Decision(true, limits.get(tightest), (long) Math.floor(tightestLeft),
                windows[tightest].resetSeconds(now), 0);
    }

    synchronized void drainInto(List<SlidingWindowLimiter.SyncItem> items) {
        for (int i = 0; i < windows.length; i++) {
            Window window = windows[i];
            if (window.index < 0) {
                continue;
            }
            for (Carry carry : window.carried) {
                items.add(item(i, window, carry.index(), carry.delta()));
            }
            window.carried = List.of();
            if (window.due(syncFraction)) {
                items.add(item(i, window, window.index, window.unsent));
                window.sent += window.unsent;
                window.unsent = 0;
            }
        }
    }

    private SlidingWindowLimiter.SyncItem item(int i, Window window, long index, long delta) {
        String prefix = RedisRateLimitSync.KEY_PREFIX + "{" + shard + "}:" + key + ":" + window.name + ":";
        return new SlidingWindowLimiter.SyncItem(this, i, index, prefix + index, prefix + (index - 1), delta);
    }

    /** Which of {@link RedisRateLimitSync#SHARDS} hash tags this key's counters carry: fixed by the key. */
    int shard() {
        return shard;
    }

    synchronized long periodMillis(int window) {
        return windows[window].periodMillis;
    }

    synchronized void apply(SlidingWindowLimiter.SyncItem item, long total, long previousTotal) {
        Window window = windows[item.window()];
        if (window.index != item.index()) {
            return; // an answer about a window that has since ended
        }
        window.others = Math.max(0, total - window.sent);
        window.previous = Math.max(window.previous, previousTotal);
        window.synced = true;
    }

    synchronized boolean restore(SlidingWindowLimiter.SyncItem item) {
        Window window = windows[item.window()];
        if (window.index != item.index()) {
            return false; // the window has ended; its lost requests no longer decide anything
        }
        window.sent -= item.delta();
        window.unsent += item.delta();
        return true;
    }
}
