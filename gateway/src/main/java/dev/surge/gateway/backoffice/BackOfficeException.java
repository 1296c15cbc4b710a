package dev.surge.gateway.backoffice;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.core.SurgeException;

/**
 * A back-office call that did not give an answer, already mapped to the status the customer sees. The factories are
 * public so that any {@link BackOfficeClient} (and the {@link BackOfficeResilience} around it) fails the same way.
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
        OVERLOADED
    }

    private final Kind kind;
    private final BackOfficeDependency dependency;

    private BackOfficeException(Kind kind, BackOfficeDependency dependency, HttpStatus status, String slug,
                                String title, String detail, HttpHeaders headers, @Nullable Throwable cause) {
        super(ProblemResponses.problem(status, slug, title, detail), headers, cause);
        this.kind = kind;
        this.dependency = dependency;
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

    public Kind kind() {
        return kind;
    }

    public BackOfficeDependency dependency() {
        return dependency;
    }
}
