package dev.surge.gateway.backoffice;

import java.time.Instant;

/** One scan or status event reported by the carrier. */
public record TrackingEvent(Instant at, String location, String description) {
}
