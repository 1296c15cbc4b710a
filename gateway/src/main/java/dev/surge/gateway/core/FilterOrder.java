package dev.surge.gateway.core;

import org.springframework.core.Ordered;

/**
 * The order of Surge's web filters, in one place: each filter returns its constant from {@code getOrder()}. Lower
 * runs first; all run before Spring Security's chain ({@code WebFilterChainProxy}, order -100), so that rate limits,
 * admission and the journey also cover what the cached-read fast path answers without it.
 */
public final class FilterOrder {

    /** 413 for request bodies over the limit, before anything reads a body. */
    public static final int BODY_LIMIT = Ordered.HIGHEST_PRECEDENCE + 10;
    /** Who is calling (security.CallerWebFilter): everything after reads it. */
    public static final int CALLER = Ordered.HIGHEST_PRECEDENCE + 12;
    /**
     * The customer's journey (journey.JourneyWebFilter): after the caller is known, before rate limits and
     * admission, so the journey shows the 429s and 503s a customer got too, and before the fast path, so cache hits
     * answered there are recorded.
     */
    public static final int JOURNEY = Ordered.HIGHEST_PRECEDENCE + 13;
    /**
     * Contact metrics (contact.ContactWebFilter): where the journey is and for the same reasons (it counts the
     * customer's activity the journey records, and requests by channel). The two never depend on each other's order.
     */
    public static final int CONTACT = JOURNEY;
    /** Rate limits (ratelimit.RateLimitWebFilter). */
    public static final int RATE_LIMIT = Ordered.HIGHEST_PRECEDENCE + 14;
    /** Admission (admission.AdmissionWebFilter): after rate limiting, so a limited caller never takes a permit. */
    public static final int ADMISSION = Ordered.HIGHEST_PRECEDENCE + 16;
    /** The cached-read fast path (selfservice.CachedReadWebFilter): last of ours, it answers without the rest. */
    public static final int CACHED_READ = Ordered.HIGHEST_PRECEDENCE + 20;

    private FilterOrder() {
    }
}
