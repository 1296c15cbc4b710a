package dev.surge.loadtests.gatling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.gatling.javaapi.core.Session;

/**
 * What users got, split the way the targets are stated: served (2xx/304), shed (503), rate-limited (429),
 * errors (anything else, timeouts and broken connections included), waiting (a waiting-room poll answered: the
 * customer learnt where they stand, which is not being served, so it never counts as goodput), and refused (a
 * self-service action the back office's rules turned down, 409/422: an answer the customer gets on purpose, neither
 * served nor an error). Gatling's own
 * statistics mix a request's outcomes (its response-time assertions cover every status), so each load request also
 * lands here: counts per second for the offered/served/shed curve, and a millisecond histogram per outcome for
 * percentiles.
 *
 * <p>One instance per simulation run (Gatling runs one simulation per JVM). Lock-free: atomic arrays only.
 */
final class Outcomes {

    /** Session attributes the request checks save and {@link #record} reads. */
    static final String STATUS = "surgeStatus";
    static final String RESPONSE_TIME = "surgeResponseTime";
    static final String CACHE_STATUS = "surgeCacheStatus";

    enum Kind { SERVED, SHED, LIMITED, ERROR, WAITING, REFUSED }

    private static final int MAX_SECONDS = 4 * 3600;
    private static final int MAX_MILLIS = 60_000;

    private static final Outcomes RUN = new Outcomes();

    private final long startNanos = System.nanoTime();
    private final AtomicLongArray perSecond = new AtomicLongArray(MAX_SECONDS * Kind.values().length);
    private final AtomicLongArray servedMillisPerSecond = new AtomicLongArray(MAX_SECONDS);
    private final AtomicLongArray activeUsersPerSecond = new AtomicLongArray(MAX_SECONDS);
    private final AtomicLongArray[] histograms = new AtomicLongArray[Kind.values().length];
    private final AtomicInteger activeUsers = new AtomicInteger();
    private final AtomicInteger maxActiveUsers = new AtomicInteger();
    private final AtomicInteger lastSecond = new AtomicInteger();
    private final AtomicLong notModified = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong clientCacheHits = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicInteger maxMillis = new AtomicInteger();

    private Outcomes() {
        for (int i = 0; i < histograms.length; i++) {
            histograms[i] = new AtomicLongArray(MAX_MILLIS + 1);
        }
    }

    static Outcomes run() {
        return RUN;
    }

    static Kind kind(int status) {
        if (status >= 200 && status < 400) {
            return Kind.SERVED;
        }
        return switch (status) {
            case 503 -> Kind.SHED;
            case 429 -> Kind.LIMITED;
            default -> Kind.ERROR;
        };
    }

    /**
     * Records the request whose status and time the checks saved. Without a status, either the request was never
     * sent because the user's HTTP cache still held a fresh answer (public stock answers carry {@code max-age}; the
     * session is not failed: not counted, as an app would not ask either), or it got no response (timeout, refused
     * or broken connection: an error). The session's failed flag is cleared after each request so that it tells
     * about the latest one only.
     */
    static Session record(Session session) {
        return record(session, false);
    }

    /** {@link #record} for a waiting-room poll: answered, it is {@link Kind#WAITING}, not served. */
    static Session recordPoll(Session session) {
        return record(session, true, false);
    }

    /** {@link #record} for a self-service action: a 409 or 422 (a rule refused it) is {@link Kind#REFUSED}. */
    static Session recordAction(Session session) {
        return record(session, false, true);
    }

    private static Session record(Session session, boolean poll) {
        return record(session, poll, false);
    }

    private static Session record(Session session, boolean poll, boolean action) {
        if (!session.contains(STATUS) && !session.isFailed()) {
            RUN.clientCacheHits.incrementAndGet();
            return session.remove(RESPONSE_TIME).remove(CACHE_STATUS);
        }
        int status = session.contains(STATUS) ? session.getInt(STATUS) : -1;
        int millis = session.contains(RESPONSE_TIME) ? session.getInt(RESPONSE_TIME) : MAX_MILLIS;
        Kind kind = action && (status == 409 || status == 422) ? Kind.REFUSED : kind(status);
        RUN.add(poll && kind == Kind.SERVED ? Kind.WAITING : kind, millis);
        if (status == 304) {
            RUN.notModified.incrementAndGet();
        }
        if (status < 0 && RUN.unanswered.incrementAndGet() <= 5) {
            // Rare by design; name the first few so a report reader can find them in Gatling's error list.
            System.err.println("unanswered request in scenario '" + session.scenario() + "', user "
                    + session.userId());
        }
        if (session.contains(CACHE_STATUS) && session.getString(CACHE_STATUS).contains("stale")) {
            RUN.stale.incrementAndGet();
        }
        if (status >= 0) {
            RUN.maxMillis.accumulateAndGet(millis, Math::max);
        }
        return session.remove(STATUS).remove(RESPONSE_TIME).remove(CACHE_STATUS).markAsSucceeded();
    }

    void add(Kind kind, int millis) {
        int second = (int) Math.min(MAX_SECONDS - 1, (System.nanoTime() - startNanos) / 1_000_000_000L);
        lastSecond.accumulateAndGet(second, Math::max);
        perSecond.incrementAndGet(second * Kind.values().length + kind.ordinal());
        if (kind == Kind.SERVED) {
            servedMillisPerSecond.addAndGet(second, millis);
        }
        activeUsersPerSecond.accumulateAndGet(second, activeUsers.get(), Math::max);
        histograms[kind.ordinal()].incrementAndGet(Math.max(0, Math.min(MAX_MILLIS, millis)));
    }

    static Session userStarted(Session session) {
        RUN.maxActiveUsers.accumulateAndGet(RUN.activeUsers.incrementAndGet(), Math::max);
        return session;
    }

    static Session userEnded(Session session) {
        RUN.activeUsers.decrementAndGet();
        return session;
    }

    long count(Kind kind) {
        long total = 0;
        AtomicLongArray histogram = histograms[kind.ordinal()];
        for (int i = 0; i < histogram.length(); i++) {
            total += histogram.get(i);
        }
        return total;
    }

    long total() {
        long total = 0;
        for (Kind kind : Kind.values()) {
            total += count(kind);
        }
        return total;
    }

    /** Share of all recorded requests that had this outcome, in percent (0 when nothing was recorded). */
    double percent(Kind kind) {
        long total = total();
        return total == 0 ? 0 : 100.0 * count(kind) / total;
    }

    /** The p-th percentile (0..100) of this outcome's response time in ms, or 0 when it never happened. */
    int percentile(Kind kind, double p) {
        long count = count(kind);
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p / 100.0 * count);
        AtomicLongArray histogram = histograms[kind.ordinal()];
        long seen = 0;
        for (int millis = 0; millis < histogram.length(); millis++) {
            seen += histogram.get(millis);
            if (seen >= Math.max(1, rank)) {
                return millis;
            }
        }
        return MAX_MILLIS;
    }

    /** Served per second, for each second of the run. */
    long[] servedPerSecond() {
        int seconds = lastSecond.get() + 1;
        long[] served = new long[seconds];
        for (int s = 0; s < seconds; s++) {
            served[s] = perSecond.get(s * Kind.values().length + Kind.SERVED.ordinal());
        }
        return served;
    }

    /**
     * Goodput kept under overload: served per second from {@code fromSecond} to {@code toSecond} (its worst 10 s),
     * as a share of the best 10-second window of the whole run (in percent). A collapse shows as a low figure.
     */
    double goodputKeptPercent(int fromSecond, int toSecond) {
        long[] served = servedPerSecond();
        double peak = 0;
        for (int s = 0; s + 10 <= served.length; s++) {
            peak = Math.max(peak, window(served, s, 10));
        }
        int to = Math.min(served.length - 1, toSecond);
        if (to - fromSecond < 10 || peak == 0) {
            return 0;
        }
        double worst = Double.MAX_VALUE;
        for (int s = fromSecond; s + 10 <= to; s++) {
            worst = Math.min(worst, window(served, s, 10));
        }
        return 100.0 * worst / peak;
    }

    private static double window(long[] values, int from, int length) {
        long sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += values[i];
        }
        return sum / (double) length;
    }

    /** Mean response time of served requests from {@code fromSecond} (inclusive) to {@code toSecond}, in ms. */
    double meanServedMillis(int fromSecond, int toSecond) {
        long count = 0;
        long millis = 0;
        for (int s = Math.max(0, fromSecond); s < Math.min(MAX_SECONDS, toSecond); s++) {
            count += perSecond.get(s * Kind.values().length + Kind.SERVED.ordinal());
            millis += servedMillisPerSecond.get(s);
        }
        return count == 0 ? 0 : millis / (double) count;
    }

    /** 304 Not Modified answers: ETag revalidations that saved a body. */
    long notModified() {
        return notModified.get();
    }

    /** Requests that got no response at all (timeout, refused or broken connection). */
    long unanswered() {
        return unanswered.get();
    }

    /** Answers the cache gave stale ({@code Cache-Status} with {@code stale}), e.g. while the back office failed. */
    long stale() {
        return stale.get();
    }

    /** The slowest answered request of the run, any status, in ms. */
    int maxMillis() {
        return maxMillis.get();
    }

    int maxActiveUsers() {
        return maxActiveUsers.get();
    }

    /** One line of figures for the run's summary. */
    String summary() {
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "requests=%d not_modified=%d stale=%d unanswered=%d "
                + "client_cache_hits=%d max_ms=%d max_active_users=%d", total(), notModified(), stale(), unanswered(),
                clientCacheHits.get(), maxMillis(), maxActiveUsers()));
        for (Kind kind : Kind.values()) {
            String name = kind.name().toLowerCase(Locale.ROOT);
            line.append(String.format(Locale.ROOT, " %s=%d (%.2f%%) %s_p50=%d %s_p95=%d %s_p99=%d", name, count(kind),
                    percent(kind), name, percentile(kind, 50), name, percentile(kind, 95), name,
                    percentile(kind, 99)));
        }
        return line.toString();
    }

    /**
     * Writes the per-second curve as CSV: active users (most seen), offered (everything answered or failed in that
     * second, refused actions included), each outcome, and the served requests' mean time; then waiting-room polls
     * (outside offered) and refused actions (added last, so older curves keep their columns).
     */
    void writeCurve(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("second,active_users,offered,served,shed,limited,errors,served_mean_ms,waiting_room_polls,"
                + "refused");
        int seconds = lastSecond.get() + 1;
        int kinds = Kind.values().length;
        for (int s = 0; s < seconds; s++) {
            long served = perSecond.get(s * kinds + Kind.SERVED.ordinal());
            long shed = perSecond.get(s * kinds + Kind.SHED.ordinal());
            long limited = perSecond.get(s * kinds + Kind.LIMITED.ordinal());
            long errors = perSecond.get(s * kinds + Kind.ERROR.ordinal());
            long refused = perSecond.get(s * kinds + Kind.REFUSED.ordinal());
            lines.add(s + "," + activeUsersPerSecond.get(s) + "," + (served + shed + limited + errors + refused) + ","
                    + served
                    + "," + shed + "," + limited + "," + errors + ","
                    + (served == 0 ? 0 : servedMillisPerSecond.get(s) / served) + ","
                    + perSecond.get(s * kinds + Kind.WAITING.ordinal()) + "," + refused);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines);
    }
}
