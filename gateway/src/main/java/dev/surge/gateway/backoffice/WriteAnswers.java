package dev.surge.gateway.backoffice;

import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;

/**
 * How a write's answer, or its absence, is read: a documented refusal becomes {@link BackOfficeException#refused}, and
 * a failure after the request may have reached the back office becomes "outcome unknown". Kept apart from the client
 * because these are the rules the contract ({@code docs/backoffice-api.md}, "Writes") states.
 */
final class WriteAnswers {

    /** Statuses by which a back office refuses a write for a documented reason: an answer, not a failure. */
    static final Set<Integer> REFUSALS = Set.of(400, 409, 412, 422, 428);
    /** Statuses by which the contract says the back office did not apply the write. */
    static final Set<Integer> NOT_APPLIED = Set.of(500, 503);

    private WriteAnswers() {
    }

    /** The problem body as sent; every member may be missing when a back office strays from the contract. */
    record WireProblem(@Nullable URI type, @Nullable String title, @Nullable String detail,
                       @Nullable List<FieldError> errors) {
    }

    /** Marks a 500 or 503 answer to a write: by contract not applied, so the outcome is known. */
    static final class NotApplied extends IllegalStateException {
        NotApplied(int status) {
            super("back office answered " + status + " (not applied)");
        }
    }

    static Mono<BackOfficeException> refusal(BackOfficeDependency dependency, ClientResponse response) {
        int status = response.statusCode().value();
        return response.bodyToMono(WireProblem.class)
                .onErrorResume(e -> Mono.empty()) // an unreadable body still is the refusal its status says
                .defaultIfEmpty(new WireProblem(null, null, null, null))
                .map(wire -> BackOfficeException.refused(dependency, problem(status, wire)));
    }

    static BackOfficeProblem problem(int status, WireProblem wire) {
        URI type = wire.type() != null && wire.type().toString().startsWith(BackOfficeProblem.TYPE_PREFIX)
                ? wire.type() : fallbackType(status);
        Refusal refusal = Refusal.ofType(type);
        return new BackOfficeProblem(status, type, wire.title() != null ? wire.title() : "",
                wire.detail() != null ? wire.detail() : "", refusal,
                wire.errors() != null ? wire.errors() : List.of());
    }

    /** The documented type a status stands for when the back office sent none of ours. */
    private static URI fallbackType(int status) {
        return switch (status) {
            case 400 -> BackOfficeProblem.INVALID_REQUEST;
            case 412 -> BackOfficeProblem.VERSION_MISMATCH;
            case 428 -> BackOfficeProblem.PRECONDITION_REQUIRED;
            default -> URI.create(BackOfficeProblem.TYPE_PREFIX + "refused");
        };
    }

    /**
     * Whether a write that failed this way may have been applied: it timed out, or it failed after a connection was
     * made without an answer that says "not applied" (a reset, a proxy's 502 or 504). A refused connection or a
     * connection never taken from the pool means the request never left.
     */
    static boolean outcomeUnknown(Throwable e) {
        if (!(e instanceof BackOfficeException failure)) {
            return false;
        }
        if (failure.kind() == BackOfficeException.Kind.TIMEOUT) {
            return true;
        }
        if (failure.kind() != BackOfficeException.Kind.UNAVAILABLE) {
            return false; // refused, not found, circuit open, bulkhead full: the back office did not apply it
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof NotApplied || cause instanceof ConnectException
                    // reactor-pool's PoolAcquireTimeoutException / PoolAcquirePendingLimitException, shaded inside
                    // Reactor Netty under an internal package: matched by name so no internal type is imported.
                    || cause.getClass().getSimpleName().startsWith("PoolAcquire")) {
                return false;
            }
        }
        return true;
    }
}
