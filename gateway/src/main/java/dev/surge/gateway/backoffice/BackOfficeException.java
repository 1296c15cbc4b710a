package dev.surge.gateway.backoffice;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.core.SurgeException;

/**
 * A back-office call that did not give the wanted answer, already mapped to the status the customer sees. The
 * factories are public so that any {@link BackOfficeClient} (and the {@link BackOfficeResilience} around it) fails the
 * same way. A write the back office refused ({@link Kind#REFUSED}) carries the back office's problem
 * ({@link #problem()}); a write whose outcome nobody knows ({@link Kind#OUTCOME_UNKNOWN}) must be retried with the
 * same Idempotency-Key, never with a new one.
 */
public final class BackOfficeException extends SurgeException {

    /** Why the call failed. */
    public enum Kind {
        /** 404: the back office answered that the thing does not exist (or is not the customer's). */
        NOT_FOUND,
        /** 502: the back office failed or could not be reached. */
        UNAVAILABLE,
        /** 504: the back office did not answer within the dependency's timeout. */
        TIMEOUT,
        /** 503: calls to the dependency are paused after too many failures (circuit open); carries Retry-After. */
        CIRCUIT_OPEN,
        /** 503: the dependency already has as many calls in flight as it may (bulkhead full); carries Retry-After. */
        OVERLOADED,
        /**
         * A write the back office answered with a documented refusal: 400 (invalid fields), 409 (the order's state
         * forbids it), 412 (changed meanwhile), 422 (a business rule, or an Idempotency-Key reused with another
         * request) or 428 (If-Match missing). The same status; {@link #problem()} says which and why.
         */
        REFUSED,
        /**
         * A write sent but not answered (timed out, connection lost, a proxy's 502/504): it may or may not have been
         * applied. 504 after a timeout, else 502. Retrying with the same Idempotency-Key is safe and tells.
         */
        OUTCOME_UNKNOWN
    }

    private final Kind kind;
    private final BackOfficeDependency dependency;
    private final @Nullable BackOfficeProblem problem;

    private BackOfficeException(Kind kind, BackOfficeDependency dependency, HttpStatus status, String slug,
                                String title, String detail, HttpHeaders headers, @Nullable Throwable cause) {
        this(kind, dependency, ProblemResponses.problem(status, slug, title, detail), headers, cause, null);
    }

    private BackOfficeException(Kind kind, BackOfficeDependency dependency, ProblemDetail body, HttpHeaders headers,
                                @Nullable Throwable cause, @Nullable BackOfficeProblem problem) {
        super(body, headers, cause);
        this.kind = kind;
        this.dependency = dependency;
        this.problem = problem;
    }

    public static BackOfficeException notFound(BackOfficeDependency dependency) {
        String subject = dependency.subject();
        return new BackOfficeException(Kind.NOT_FOUND, dependency, HttpStatus.NOT_FOUND, "not-found", "Not Found",
                Character.toUpperCase(subject.charAt(0)) + subject.substring(1) + " was not found.",
                HttpHeaders.EMPTY, null);
    }

    public static BackOfficeException unavailable(BackOfficeDependency dependency, Throwable cause) {
        return new BackOfficeException(Kind.UNAVAILABLE, dependency, HttpStatus.BAD_GATEWAY, "backoffice-unavailable",
                "Bad Gateway", "We cannot load the " + dependency.subject() + " right now. Please try again shortly.",
                HttpHeaders.EMPTY, cause);
    }

    public static BackOfficeException timeout(BackOfficeDependency dependency, Throwable cause) {
        return new BackOfficeException(Kind.TIMEOUT, dependency, HttpStatus.GATEWAY_TIMEOUT, "backoffice-timeout",
                "Gateway Timeout", "Loading the " + dependency.subject() + " took too long. Please try again shortly.",
                HttpHeaders.EMPTY, cause);
    }

    /** 503 without a call: the dependency failed too often lately; {@code retryAfter} is what is left of the pause. */
    public static BackOfficeException circuitOpen(BackOfficeDependency dependency, Duration retryAfter) {
        return new BackOfficeException(Kind.CIRCUIT_OPEN, dependency, HttpStatus.SERVICE_UNAVAILABLE,
                "backoffice-circuit-open", "Service Unavailable", "We cannot load the " + dependency.subject()
                        + " at the moment. Please try again after the time given in Retry-After.",
                SurgeException.retryAfter(retryAfter), null);
    }

    /** 503 without a call: the dependency already has all the calls in flight it may have. */
    public static BackOfficeException overloaded(BackOfficeDependency dependency, Duration retryAfter) {
        return new BackOfficeException(Kind.OVERLOADED, dependency, HttpStatus.SERVICE_UNAVAILABLE,
                "backoffice-overloaded", "Service Unavailable", "We are answering many requests for the "
                        + dependency.subject() + " right now. Please try again in a moment.",
                SurgeException.retryAfter(retryAfter), null);
    }

    /**
     * 400, 409, 412, 422 or 428: the back office refused the write, with this problem. The customer-facing problem
     * has the same status and slug under Surge's own prefix ({@code https://surge.dev/problems/final-sale}), a detail
     * in Surge's words and, for a 400, the back office's {@code errors}; the back office's own detail stays in
     * {@link #problem()} (for logs and the journey), since a back office's words are not vetted for customers.
     */
    public static BackOfficeException refused(BackOfficeDependency dependency, BackOfficeProblem problem) {
        HttpStatus status = HttpStatus.valueOf(problem.status());
        ProblemDetail body = ProblemResponses.problem(status, problem.slug(), status.getReasonPhrase(),
                RefusalDetails.detail(problem));
        if (!problem.errors().isEmpty()) {
            body.setProperty("errors", problem.errors());
        }
        if (problem.refusal() != null) {
            body.setProperty("reason", problem.refusal());
        }
        return new BackOfficeException(Kind.REFUSED, dependency, body, HttpHeaders.EMPTY, null, problem);
    }

    /**
     * A write whose answer was lost ({@code lost}: the timeout or unavailable failure it ended with): it may have been
     * applied. Keeps the lost answer's status (504 after a timeout, else 502).
     */
    public static BackOfficeException outcomeUnknown(BackOfficeDependency dependency, BackOfficeException lost) {
        HttpStatus status = HttpStatus.valueOf(lost.getStatusCode().value());
        return new BackOfficeException(Kind.OUTCOME_UNKNOWN, dependency, status,
                "backoffice-outcome-unknown", status.getReasonPhrase(), "We could not confirm whether the change to "
                        + "your " + dependency.subject() + " was made. Please try again with the same "
                        + "Idempotency-Key: it will not be made twice.", HttpHeaders.EMPTY, lost);
    }

    /**
     * Whether the back office did not answer in time: a timed-out read, or a write whose outcome is unknown because
     * it timed out. What load shedding reads as "the back office is not keeping up".
     */
    public boolean isTimeout() {
        return kind == Kind.TIMEOUT || kind == Kind.OUTCOME_UNKNOWN && getCause() instanceof BackOfficeException lost
                && lost.kind == Kind.TIMEOUT;
    }

    /** The back office's problem for a {@link Kind#REFUSED} write; null for every other kind. */
    public @Nullable BackOfficeProblem problem() {
        return problem;
    }

    public Kind kind() {
        return kind;
    }

    public BackOfficeDependency dependency() {
        return dependency;
    }
}
