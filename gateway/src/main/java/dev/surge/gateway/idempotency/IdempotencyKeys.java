package dev.surge.gateway.idempotency;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import dev.surge.gateway.core.SurgeException;

/**
 * The {@code Idempotency-Key} request header (IETF draft-ietf-httpapi-idempotency-key-header) as every write of the
 * API reads it: required, 1-255 visible ASCII characters, as a Structured Field string ({@code "..."}) or a bare
 * token; and the problems its semantics answer with, the same for escalations and self-service actions.
 */
public final class IdempotencyKeys {

    /** The header's name. */
    public static final String HEADER = "Idempotency-Key";

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private IdempotencyKeys() {
    }

    /** The key the header carries; a 400 problem when it is missing or malformed. */
    public static String required(@Nullable String header) {
        if (header == null || header.isBlank()) {
            throw SurgeException.badRequest("The Idempotency-Key header is required (any unique value, such as a "
                    + "UUID, reused only for retries of the same request).");
        }
        String key = header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                ? header.substring(1, header.length() - 1) : header;
        if (!KEY.matcher(key).matches()) {
            throw SurgeException.badRequest("The Idempotency-Key must be 1-255 visible ASCII characters.");
        }
        return key;
    }

    /** 422: the key was used before for a different request. */
    public static SurgeException reused() {
        return new SurgeException(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Unprocessable Content",
                "This Idempotency-Key was already used for a different request.");
    }

    /** 409: a request with the key is still being processed. */
    public static SurgeException inUse() {
        return new SurgeException(HttpStatus.CONFLICT, "idempotency-key-in-use", "Conflict",
                "A request with this Idempotency-Key is still being processed. Retry shortly.");
    }
}
