package dev.surge.gateway.selfservice;

import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes a response body once to bytes and derives its strong ETag from them. Returning an entity with an ETag lets
 * WebFlux answer {@code If-None-Match} with 304 by itself.
 */
final class JsonRepresentations {

    /** Personal data: only the customer's own app may keep it, and must revalidate before reuse. */
    private static final CacheControl PRIVATE = CacheControl.noCache().cachePrivate();

    private final JsonMapper json;

    JsonRepresentations(JsonMapper json) {
        this.json = json;
    }

    ResponseEntity<byte[]> personal(Object body) {
        return entity(body, PRIVATE);
    }

    ResponseEntity<byte[]> shared(Object body, Duration maxAge) {
        return entity(body, CacheControl.maxAge(maxAge).cachePublic());
    }

    private ResponseEntity<byte[]> entity(Object body, CacheControl cacheControl) {
        byte[] bytes = json.writeValueAsBytes(body);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(cacheControl)
                .eTag(etag(bytes))
                .body(bytes);
    }

    /**
     * 64 bits from two different CRC polynomials, both intrinsics on current JVMs: cheap on the hot path and far
     * less likely to collide between two versions of one resource than either alone.
     */
    static String etag(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        CRC32 d = new CRC32();
        d.update(bytes);
        return "\"" + HexFormat.of().toHexDigits((c.getValue() << 32) | d.getValue()) + "\"";
    }
}
