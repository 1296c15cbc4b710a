package dev.surge.gateway.backoffice;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The back office's RFC 9457 answer to a write it refused: the status, its stable problem type (documented in
 * {@code docs/backoffice-api.md}), its detail, the invalid fields of a 400, and for a rule refusal (409, 422) the
 * {@link Refusal} it stands for.
 */
public record BackOfficeProblem(int status, URI type, String title, String detail, @Nullable Refusal refusal,
                                List<FieldError> errors) {

    /** Prefix of every problem type of the back-office contract. */
    public static final String TYPE_PREFIX = "https://surge.dev/backoffice/problems/";
    /** 400: one or more fields are invalid; {@code errors} names each. */
    public static final URI INVALID_REQUEST = URI.create(TYPE_PREFIX + "invalid-request");
    /** 404: no such order or return, or another customer's. */
    public static final URI NOT_FOUND = URI.create(TYPE_PREFIX + "not-found");
    /** 412: the If-Match version is not the current one: someone changed it meanwhile. */
    public static final URI VERSION_MISMATCH = URI.create(TYPE_PREFIX + "version-mismatch");
    /** 428: the write needs If-Match. */
    public static final URI PRECONDITION_REQUIRED = URI.create(TYPE_PREFIX + "precondition-required");
    /** 422: this Idempotency-Key was used before with another request. */
    public static final URI IDEMPOTENCY_KEY_REUSED = URI.create(TYPE_PREFIX + "idempotency-key-reused");

    public BackOfficeProblem {
        errors = List.copyOf(errors);
    }

    /** The last segment of the type, e.g. {@code return-window-closed}. */
    public String slug() {
        String text = type.toString();
        return text.substring(text.lastIndexOf('/') + 1);
    }
}
