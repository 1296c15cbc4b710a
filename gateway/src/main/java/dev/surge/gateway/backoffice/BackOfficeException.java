package dev.surge.gateway.backoffice;

import org.springframework.http.HttpStatus;

import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.core.SurgeException;

/** A back-office call that did not give an answer, already mapped to the status the customer sees. */
public final class BackOfficeException extends SurgeException {

    /** Why the call failed. */
    public enum Kind { NOT_FOUND, UNAVAILABLE, TIMEOUT }

    private final Kind kind;
    private final BackOfficeDependency dependency;

    private BackOfficeException(Kind kind, BackOfficeDependency dependency, HttpStatus status, String slug,
                                String title, String detail, Throwable cause) {
        super(ProblemResponses.problem(status, slug, title, detail), cause);
        this.kind = kind;
        this.dependency = dependency;
    }

    static BackOfficeException notFound(BackOfficeDependency dependency) {
        String subject = dependency.subject();
        return new BackOfficeException(Kind.NOT_FOUND, dependency, HttpStatus.NOT_FOUND, "not-found", "Not Found",
                Character.toUpperCase(subject.charAt(0)) + subject.substring(1) + " was not found.", null);
    }

    static BackOfficeException unavailable(BackOfficeDependency dependency, Throwable cause) {
        return new BackOfficeException(Kind.UNAVAILABLE, dependency, HttpStatus.BAD_GATEWAY, "backoffice-unavailable",
                "Bad Gateway", "We cannot load the " + dependency.subject() + " right now. Please try again shortly.",
                cause);
    }

    static BackOfficeException timeout(BackOfficeDependency dependency, Throwable cause) {
        return new BackOfficeException(Kind.TIMEOUT, dependency, HttpStatus.GATEWAY_TIMEOUT, "backoffice-timeout",
                "Gateway Timeout", "Loading the " + dependency.subject() + " took too long. Please try again shortly.",
                cause);
    }

    public Kind kind() {
        return kind;
    }

    public BackOfficeDependency dependency() {
        return dependency;
    }
}
