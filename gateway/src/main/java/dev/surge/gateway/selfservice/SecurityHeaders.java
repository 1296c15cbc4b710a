package dev.surge.gateway.selfservice;

import org.springframework.http.HttpHeaders;

/**
 * The response headers Spring Security's defaults add, for answers written before its filter chain runs, so a
 * client cannot tell the fast path from the full one.
 */
final class SecurityHeaders {

    private SecurityHeaders() {
    }

    static void apply(HttpHeaders headers) {
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-XSS-Protection", "0");
        headers.set("Referrer-Policy", "no-referrer");
    }
}
