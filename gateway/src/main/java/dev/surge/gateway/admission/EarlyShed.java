package dev.surge.gateway.admission;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.route.Route;
import dev.surge.gateway.route.Routes;
import dev.surge.gateway.security.VerifiedTokens;

/**
 * Decides, from the request line and headers alone, whether admission sheds a request before WebFlux sees it
 * ({@link EarlyShedHandler} answers it). Under overload most requests are shed, and through WebFlux a shed request
 * costs about what a cached answer costs (an exchange, the filter chain, the response's reactive write); here it costs
 * a map lookup and one write, so the core keeps that time for the requests it admits.
 *
 * <p>It only ever sheds, and only what {@link AdmissionWebFilter} would shed at this instant with the same answer:
 * a request of a class already over its share of the limit, from a caller the waiting room does not serve. The class
 * is the verified caller's when the token verified before, else the one the token claims: a token that is not what
 * it claims would be anonymous to the filter, the lowest class, full whenever any class is, so the filter would shed
 * it too. Anything else (a waiting-room ticket, a customer the room would give a place, a class with room) goes on
 * to the filter, which decides as before.
 */
final class EarlyShed {

    private final PriorityLimiter limiter;
    private final AdmissionProperties properties;
    private final AdmissionMetrics metrics;
    private final WaitingRoom room;
    private final VerifiedTokens tokens;
    private final ProblemResponses problems;
    private final ProblemResponses.Prepared shedProblem;
    private final List<EarlyShedListener> listeners;
    private final Counter early;
    private final String retryAfter;

    EarlyShed(PriorityLimiter limiter, AdmissionProperties properties, AdmissionMetrics metrics, WaitingRoom room,
              VerifiedTokens tokens, ProblemResponses problems, List<EarlyShedListener> listeners,
              MeterRegistry registry) {
        this.limiter = limiter;
        this.properties = properties;
        this.metrics = metrics;
        this.room = room;
        this.tokens = tokens;
        this.problems = problems;
        this.shedProblem = problems.prepare(AdmissionWebFilter.shedProblem(properties));
        this.listeners = List.copyOf(listeners);
        this.early = Counter.builder("surge.admission.shed.early")
                .description("Requests shed before WebFlux saw them (also counted in surge.admission.requests)")
                .register(registry);
        this.retryAfter = AdmissionWebFilter.retryAfterSeconds(properties);
    }

    /** {@code Retry-After} of the answer. */
    String retryAfter() {
        return retryAfter;
    }

    /**
     * The body of the 503 if this request is shed now (counted, and its listeners told), else null: the web filter
     * decides. {@code target} is the request target as sent.
     */
    byte @Nullable [] shed(String method, String target, @Nullable String authorization,
                           boolean holdsTicket) {
        // The lowest class has the smallest share: while it has room, every class has, and the usual request costs
        // this one read and nothing more.
        if (!limiter.full(Priority.ANONYMOUS) || !properties.isEnabled() || !properties.isEarlyShed() || holdsTicket) {
            return null;
        }
        String path = path(target);
        if (path == null) {
            return null;
        }
        // Resolved here, from the request line: no exchange exists yet. A request that is not shed is resolved again
        // once its exchange exists; this runs only while the lowest class is full.
        Route route = Routes.resolve(HttpMethod.valueOf(method), path);
        if (!AdmissionWebFilter.governs(route)) {
            return null;
        }
        Caller verified = tokens.knownCaller(authorization);
        // A token not verified yet is classed by what it claims: enough to shed on (VerifiedTokens.claimedCaller),
        // and verifying it only to shed it would cost more than everything else here together.
        Caller caller = verified != null ? verified : VerifiedTokens.claimedCaller(authorization);
        if (room.serves(caller)) {
            return null;
        }
        Priority priority = Priority.of(route, caller);
        if (!limiter.full(priority)) {
            return null;
        }
        metrics.shed(priority);
        early.increment();
        if (verified != null) { // a claim is never recorded as someone's journey
            for (EarlyShedListener listener : listeners) {
                listener.shed(verified, method, path);
            }
        }
        return problems.body(shedProblem, path);
    }

    /**
     * The path of an origin-form request target ({@code /path?query}), as WebFlux's {@code getPath()} has it (raw,
     * not decoded); null for the other forms (absolute, authority, asterisk), which the filter is left to judge.
     */
    static @Nullable String path(String target) {
        if (target.isEmpty() || target.charAt(0) != '/') {
            return null;
        }
        int end = target.length();
        for (int i = 0; i < end; i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                return target.substring(0, i);
            }
        }
        return target;
    }
}
