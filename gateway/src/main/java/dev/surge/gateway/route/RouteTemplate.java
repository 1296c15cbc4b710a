package dev.surge.gateway.route;

import org.jspecify.annotations.Nullable;

/**
 * Matching a path against a route's template ({@code /a/{id}/b}: a variable stands for one non-empty segment) or an
 * area's pattern ({@code /a/**}: the prefix and anything below it). Hand-written rather than Spring's
 * {@code PathPattern}, because it runs for every request: it walks both strings once and allocates nothing, where a
 * parsed pattern match builds a path container per call.
 */
final class RouteTemplate {

    private RouteTemplate() {
    }

    static boolean matches(String template, String path) {
        return end(template, path) == path.length();
    }

    /** The path's segment at the template's {@code {name}}, or null when the template has none or does not match. */
    static @Nullable String variable(String template, String path, String name) {
        int t = 0;
        int p = 0;
        while (t < template.length() && p < path.length()) {
            if (template.charAt(t) == '{') {
                int close = template.indexOf('}', t);
                int segmentEnd = segmentEnd(path, p);
                if (template.regionMatches(t + 1, name, 0, name.length()) && close == t + 1 + name.length()) {
                    return matches(template, path) ? path.substring(p, segmentEnd) : null;
                }
                t = close + 1;
                p = segmentEnd;
            } else if (template.charAt(t) == path.charAt(p)) {
                t++;
                p++;
            } else {
                return null;
            }
        }
        return null;
    }

    /** Whether the path is the pattern's prefix or below it ({@code /x/**}), or equal to a pattern without it. */
    static boolean matchesPattern(String pattern, String path) {
        if (!pattern.endsWith("/**")) {
            return pattern.equals(path);
        }
        int prefix = pattern.length() - 3;
        return path.regionMatches(0, pattern, 0, prefix)
                && (path.length() == prefix || path.charAt(prefix) == '/');
    }

    /** How far the path matches the whole template, or -1 where it stops matching. */
    private static int end(String template, String path) {
        int t = 0;
        int p = 0;
        while (t < template.length()) {
            char c = template.charAt(t);
            if (c == '{') {
                int segmentEnd = segmentEnd(path, p);
                if (segmentEnd == p) {
                    return -1; // a variable needs a non-empty segment
                }
                t = template.indexOf('}', t) + 1;
                p = segmentEnd;
            } else {
                if (p >= path.length() || path.charAt(p) != c) {
                    return -1;
                }
                t++;
                p++;
            }
        }
        return p;
    }

    private static int segmentEnd(String path, int from) {
        int slash = path.indexOf('/', from);
        return slash < 0 ? path.length() : slash;
    }
}
