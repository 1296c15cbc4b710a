package dev.surge.gateway.backoffice;

import java.time.LocalTime;

/**
 * A daily span in the customer's time zone (an IANA id such as {@code Europe/Berlin}) in which nobody calls or
 * messages them; {@code end} before {@code start} spans midnight.
 */
public record QuietHours(LocalTime start, LocalTime end, String timeZone) {
}
