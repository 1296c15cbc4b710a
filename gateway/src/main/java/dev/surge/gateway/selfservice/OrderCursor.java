package dev.surge.gateway.selfservice;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.core.SurgeException;

/**
 * The opaque {@code cursor} of order pagination: the id of the last order seen, versioned and base64url-encoded so
 * apps treat it as a token and we can change its content later.
 */
final class OrderCursor {

    private static final String PREFIX = "v1:";

    private OrderCursor() {
    }

    static @Nullable String encode(@Nullable String lastOrderId) {
        if (lastOrderId == null) {
            return null;
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + lastOrderId).getBytes(StandardCharsets.UTF_8));
    }

    /** The order id to continue after, or null for the first page; a cursor we did not make is a 400. */
    static @Nullable String decode(@Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith(PREFIX) && Ids.isValidOrderId(raw.substring(PREFIX.length()))) {
                return raw.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // fall through to the 400 below
        }
        throw SurgeException.badRequest("cursor is not valid; use the nextCursor of a previous page.");
    }
}
