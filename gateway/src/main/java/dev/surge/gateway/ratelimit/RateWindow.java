package dev.surge.gateway.ratelimit;

import java.time.Duration;

/**
 * One limit: at most {@code limit} requests in any {@code period}, named in the {@code RateLimit-Policy} header.
 *
 * @param name the policy name clients see, e.g. {@code burst} or {@code quota}
 * @param limit requests allowed per period, at least 1
 * @param period the window, 1 s to 24 h, whole seconds (the headers count in seconds)
 */
public record RateWindow(String name, int limit, Duration period) {

    long periodMillis() {
        return period.toMillis();
    }

    boolean isValid() {
        return name != null && name.matches("[a-z][a-z0-9-]{0,31}") && limit >= 1 && period != null
                && period.toMillis() % 1000 == 0 && period.compareTo(Duration.ofSeconds(1)) >= 0
                && period.compareTo(Duration.ofHours(24)) <= 0;
    }
}
