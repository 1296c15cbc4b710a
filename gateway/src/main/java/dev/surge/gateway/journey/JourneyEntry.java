package dev.surge.gateway.journey;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;

/**
 * One step of a customer's journey as captured on the request path: raw fields only, so recording costs a small
 * allocation. The JSON an agent sees is made by {@link #toJson()} when the buffer is flushed or read, off the
 * request path. Identical consecutive steps (the same page reloaded with the same outcome) are folded into one
 * with a count, which is also what an agent wants to read.
 */
final class JourneyEntry {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final long firstAt;
    private final long sequence;
    private final String method;
    private final String path;
    private final int status;
    private final @Nullable String cacheStatus;
    /** Who did it when not the customer: {@code agent:<id>} for an agent acting on their behalf; else null. */
    private final @Nullable String actor;
    private long lastAt;
    private int times = 1;

    JourneyEntry(long at, long sequence, String method, String path, int status, @Nullable String cacheStatus) {
        this(at, sequence, method, path, status, cacheStatus, null);
    }

    JourneyEntry(long at, long sequence, String method, String path, int status, @Nullable String cacheStatus,
                 @Nullable String actor) {
        this.actor = actor;
        this.firstAt = at;
        this.lastAt = at;
        this.sequence = sequence;
        this.method = method;
        this.path = path;
        this.status = status;
        this.cacheStatus = cacheStatus;
    }

    /** Folds {@code next} into this entry if it is the same step with the same outcome. Caller holds the buffer. */
    boolean absorb(JourneyEntry next) {
        boolean same = status == next.status && method.equals(next.method) && path.equals(next.path)
                && JourneyWebFilter.sameCacheOutcome(cacheStatus, next.cacheStatus)
                && java.util.Objects.equals(actor, next.actor);
        if (same) {
            times++;
            lastAt = next.lastAt;
        }
        return same;
    }

    /**
     * {@code {"at":"<fixed-width UTC time>","n":<sequence>,...}}: the time prefix orders entries and the sequence
     * breaks ties (see {@link JourneyRecorder#NEWEST_FIRST}); "at" is the latest occurrence, "times" how many.
     */
    String toJson() {
        StringBuilder entry = new StringBuilder(192).append("{\"at\":\"").append(TIME.format(Instant.ofEpochMilli(lastAt)))
                .append("\",\"n\":").append(sequence).append(",\"method\":\"").append(method).append('"');
        JourneyWebFilter.template(path, entry);
        entry.append(",\"status\":").append(status);
        if (actor != null) {
            entry.append(",\"by\":\"").append(actor).append('"');
        }
        String cache = JourneyWebFilter.cache(cacheStatus);
        if (cache != null) {
            entry.append(",\"cache\":\"").append(cache).append('"');
        }
        if (times > 1) {
            entry.append(",\"times\":").append(times)
                    .append(",\"firstAt\":\"").append(TIME.format(Instant.ofEpochMilli(firstAt))).append('"');
        }
        return entry.append('}').toString();
    }
}
