package dev.surge.gateway.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/**
 * An error that already knows the problem a customer should see. Features throw subclasses (or this) with a detail
 * that is safe to show: no internal names, ids of other customers or stack traces.
 */
public class SurgeException extends RuntimeException implements ErrorResponse {

    private final ProblemDetail body;
    private final HttpHeaders headers;

    public SurgeException(HttpStatusCode status, String typeSlug, String title, String detail) {
        this(ProblemResponses.problem(status, typeSlug, title, detail), null);
    }

    public SurgeException(ProblemDetail body, Throwable cause) {
        this(body, HttpHeaders.EMPTY, cause);
    }

    /** A problem answered with extra response headers, such as {@link #retryAfter(Duration) Retry-After}. */
    public SurgeException(ProblemDetail body, HttpHeaders headers, @Nullable Throwable cause) {
        super(body.getDetail(), cause, false, false); // no stack trace: these are expected outcomes, not bugs
        this.body = body;
        this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
    }

    /** A {@code Retry-After} header in whole seconds, rounded up and at least 1 (RFC 9110 §10.2.3). */
    public static HttpHeaders retryAfter(Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (millis + 999) / 1000)));
        return headers;
    }

    /** 400 for a malformed parameter, id or body; the detail says which and why. */
    public static SurgeException badRequest(String detail) {
        return new SurgeException(org.springframework.http.HttpStatus.BAD_REQUEST, "bad-request", "Bad Request",
                detail);
    }

    /** 404 that looks the same whether the thing is missing or belongs to someone else. */
    public static SurgeException notFound(String what) {
        return new SurgeException(org.springframework.http.HttpStatus.NOT_FOUND, "not-found", "Not Found",
                what + " was not found.");
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatusCode.valueOf(body.getStatus());
    }

    @Override
    public ProblemDetail getBody() {
        return body;
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }
}
