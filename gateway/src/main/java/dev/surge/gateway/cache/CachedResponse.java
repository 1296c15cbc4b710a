package dev.surge.gateway.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import org.jspecify.annotations.Nullable;

/**
 * An encoded response body with its strong ETag, when it was read from the back office and how long that took. Hits
 * are served from these bytes as they are: no decoding, no re-encoding.
 */
public record CachedResponse(byte[] body, String etag, long fetchedAtMillis, int loadMillis) {

    private static final byte FORMAT = 1;

    public static CachedResponse of(byte[] body, long fetchedAtMillis, int loadMillis) {
        return new CachedResponse(body, etag(body), fetchedAtMillis, loadMillis);
    }

    /**
     * 64 bits from two different CRC polynomials, both intrinsics on current JVMs: cheap, and far less likely to
     * collide between two versions of one resource than either alone.
     */
    public static String etag(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        CRC32 d = new CRC32();
        d.update(bytes);
        return "\"" + HexFormat.of().toHexDigits((c.getValue() << 32) | d.getValue()) + "\"";
    }

    /** Compact Redis form: format byte, fetchedAt, loadMillis, ETag length and bytes, then the body. */
    byte[] toBytes() {
        byte[] tag = etag.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(1 + 8 + 4 + 1 + tag.length + body.length)
                .put(FORMAT).putLong(fetchedAtMillis).putInt(loadMillis).put((byte) tag.length).put(tag).put(body)
                .array();
    }

    /** The entry, or null for bytes in an unknown format (treated as a miss, never as an error). */
    static @Nullable CachedResponse fromBytes(byte[] bytes) {
        if (bytes.length < 14 || bytes[0] != FORMAT) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get();
        long fetchedAt = buffer.getLong();
        int loadMillis = buffer.getInt();
        int tagLength = buffer.get() & 0xff;
        if (buffer.remaining() < tagLength) {
            return null;
        }
        byte[] tag = new byte[tagLength];
        buffer.get(tag);
        byte[] body = new byte[buffer.remaining()];
        buffer.get(body);
        return new CachedResponse(body, new String(tag, StandardCharsets.US_ASCII), fetchedAt, loadMillis);
    }
}
