package dev.surge.gateway.contact;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis keys of the contact metrics, and the names inside them.
 *
 * <ul>
 *   <li>{@code surge:cm:{<minute>}:<figure>} and {@code surge:cm:{h<hour>}:<figure>}: one bucket per minute and one
 *       per hour (epoch minute and hour numbers), every event added to both. The bucket is the hash tag, so a
 *       bucket's keys share a Cluster slot and one script call adds a flush's worth to it. A window reads hour
 *       buckets for its whole hours and minute buckets for the rest: at most 142 buckets for 24 h instead of 1440.
 *       {@code counts} is a hash of counters ({@code HINCRBY}); the other figures are HyperLogLogs of customers or
 *       sessions ({@code PFADD}). Every key expires {@link #TTL} after its last write: the longest window, and an
 *       hour for late writes.</li>
 *   <li>{@code surge:cm:s:{s<0–15>}:<customer>}: the customer's current session (first minute, last activity),
 *       expiring a minute after the session gap; 16 shards so one script call carries many customers.</li>
 *   <li>{@code surge:cm:tmp:{<random>}:...}: a summary's working copies (union of a window's HyperLogLogs, which live
 *       in other slots); deleted at once, and expiring within a minute anyway.</li>
 * </ul>
 */
final class ContactKeys {

    static final String PREFIX = "surge:cm:";
    static final Duration TTL = ContactProperties.MAX_WINDOW.plusHours(1);
    static final int SESSION_SHARDS = 16;

    /** The bucket's hash of counters. */
    static final String COUNTS = "counts";

    // HyperLogLogs in each bucket.
    static final String ACTIVE = "active";
    static final String ESCALATED = "escalated";
    static final String SESSIONS = "sessions";
    static final String SESSIONS_ESCALATED = "sessions:escalated";

    static String activeOfTier(String tier) {
        return ACTIVE + ":" + tier;
    }

    /** Customers who attempted the action themselves, any outcome. */
    static String tried(String action) {
        return "tried:" + action;
    }

    /** Customers who completed the action themselves (applied, the customer as actor). */
    static String selfServed(String action) {
        return "self:" + action;
    }

    private ContactKeys() {
    }

    static long minute(long millis) {
        return Math.floorDiv(millis, 60_000L);
    }

    static long hour(long millis) {
        return Math.floorDiv(millis, 3_600_000L);
    }

    /** The key prefix of a minute's bucket: {@code surge:cm:{<minute>}:}. */
    static String minuteBucket(long minute) {
        return PREFIX + "{" + minute + "}:";
    }

    static String hourBucket(long hour) {
        return PREFIX + "{h" + hour + "}:";
    }

    static String session(String customer) {
        return PREFIX + "s:{s" + sessionShard(customer) + "}:" + customer;
    }

    static int sessionShard(String customer) {
        return Math.floorMod(customer.hashCode(), SESSION_SHARDS); // String.hashCode is the same on every JVM
    }

    static String temp(String id) {
        return PREFIX + "tmp:{" + id + "}:";
    }

    /** The first minute of the window that ends in the minute of {@code nowMillis}: it reads whole minutes. */
    static long firstMinute(long nowMillis, Duration window) {
        return minute(nowMillis) - window.toMinutes() + 1;
    }

    /**
     * The buckets that make up the window ending now, as key prefixes: the last {@code window} minutes including the
     * current one, an hour bucket for each whole hour among them and minute buckets for the rest.
     */
    static List<String> buckets(long nowMillis, Duration window) {
        long last = minute(nowMillis);
        List<String> buckets = new ArrayList<>();
        for (long m = firstMinute(nowMillis, window); m <= last; ) {
            if (Math.floorMod(m, 60) == 0 && m + 59 <= last) {
                buckets.add(hourBucket(m / 60));
                m += 60;
            } else {
                buckets.add(minuteBucket(m));
                m++;
            }
        }
        return buckets;
    }
}
