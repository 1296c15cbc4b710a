package dev.surge.gateway.selfservice;

import java.time.Clock;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import dev.surge.gateway.cache.Served;

/**
 * Turns a cached answer (encoded once by {@link dev.surge.gateway.cache.JsonBodies}, stamped with {@code asOf}) into
 * a response: its stored bytes and ETag (WebFlux answers {@code If-None-Match} with 304 from it), its
 * {@code Age}, and an RFC 9211 {@code Cache-Status} that says when the data is stale.
 */
final class JsonRepresentations {

    /** RFC 9211 header naming how the response was served. */
    static final String CACHE_STATUS = "Cache-Status";

    /** Personal data: only the customer's own app may keep it, and must revalidate before reuse. */
    static final CacheControl PRIVATE = CacheControl.noCache().cachePrivate();

    private final Clock clock;

    JsonRepresentations(Clock clock) {
        this.clock = clock;
    }

    ResponseEntity<byte[]> entity(Served served, CacheControl cacheControl) {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(cacheControl)
                .eTag(served.response().etag())
                .header("Age", Long.toString(served.ageSeconds(clock.millis())))
                .header(CACHE_STATUS, cacheStatus(served.outcome()))
                .body(served.response().body());
    }

    static String cacheStatus(Served.Outcome outcome) {
        return switch (outcome) {
            case HIT -> "surge; hit";
            case MISS -> "surge; fwd=miss; stored";
            case STALE_REVALIDATING -> "surge; hit; detail=stale-while-revalidate";
            case STALE_ON_ERROR -> "surge; hit; detail=stale-if-error";
        };
    }
}
