package dev.surge.gateway.security;

import org.jspecify.annotations.Nullable;

/**
 * The rules Spring Security's {@code StrictServerWebExchangeFirewall} applies to header names, header values and
 * parameter names, unchanged, without regular expressions. Its defaults are the patterns
 * {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} (names) and {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*} (values),
 * matched again on every header read, several times per request, each with a new {@code Matcher}: about 4 % of the
 * gateway's CPU in the escalation benchmark's profile. These loops give the same answers with a fast path for
 * printable ASCII; {@code FirewallTextTests} checks them against the patterns for every code point.
 */
final class FirewallText {

    private FirewallText() {
    }

    /** A header or parameter name: every code point assigned in Unicode, none a control character. */
    static boolean allowedName(@Nullable String name) {
        return allowed(name, false);
    }

    /** A header value: as a name, but a horizontal tab is allowed (it separates words in folded values). */
    static boolean allowedValue(@Nullable String value) {
        return allowed(value, true);
    }

    private static boolean allowed(@Nullable String text, boolean tab) {
        if (text == null) {
            return true; // as the firewall's own predicates: a header read that finds nothing is not rejected
        }
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c >= ' ' && c < 0x7f) {
                i++;
                continue;
            }
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL && !(tab && codePoint == '\t')) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
