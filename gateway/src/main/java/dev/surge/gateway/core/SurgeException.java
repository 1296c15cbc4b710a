package dev.surge.gateway.core;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/**
 * An error that already knows the problem a customer should see. Features throw subclasses (or this) with a detail
 * that is safe to show: no internal names, ids of other customers or stack traces.
 */
public class SurgeException extends RuntimeException implements ErrorResponse {

    private final ProblemDetail body;

    public SurgeException(HttpStatusCode status, String typeSlug, String title, String detail) {
        this(ProblemResponses.problem(status, typeSlug, title, detail), null);
    }

    public SurgeException(ProblemDetail body, Throwable cause) {
        super(body.getDetail(), cause, false, false); // no stack trace: these are expected outcomes, not bugs
        this.body = body;
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
}
