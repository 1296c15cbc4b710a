package dev.surge.loadtests.gatling;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a run is pointed at and how big it is, from system properties ({@code -Dsurge.xxx=...} on the Maven command
 * line). Every target is on loopback: load never leaves this machine.
 */
final class Settings {

    /** A running gateway to load instead of starting one, e.g. {@code http://127.0.0.1:8080}. */
    static final String BASE_URL = "surge.baseUrl";
    /**
     * The management port (actuator: readiness, Prometheus) of the running gateway of {@link #BASE_URL}, e.g.
     * {@code http://127.0.0.1:8081}; default: the base URL's host on port 8081.
     */
    static final String MANAGEMENT_URL = "surge.managementUrl";
    /** The gateway's Boot jar the run starts when no base URL is given (set by the pom). */
    static final String GATEWAY_JAR = "surge.gatewayJar";
    /** Extra JVM options for a gateway the run starts (default {@code -Xms1g -Xmx1g}). */
    static final String GATEWAY_JVM = "surge.gatewayJvm";
    /** Extra Spring Boot arguments for a gateway the run starts, space-separated. */
    static final String GATEWAY_ARGS = "surge.gatewayArgs";
    /**
     * CPUs a gateway the run starts is pinned to, as {@code taskset -c} takes them (e.g. {@code 0}); its embedded
     * Redis inherits them. Empty: not pinned. With the load generator pinned to the others ({@code taskset -c 1 mvn
     * ...}), the two stop taking CPU from each other, so the gateway's figures do not depend on what the load costs.
     */
    static final String GATEWAY_CPUS = "surge.gatewayCpus";
    /** Number of loopback source addresses users are spread over (127.1.x.y). */
    static final String LOCAL_ADDRESSES = "surge.localAddresses";

    private Settings() {
    }

    static String string(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    static int integer(String name, int fallback) {
        return Integer.parseInt(string(name, Integer.toString(fallback)));
    }

    static double decimal(String name, double fallback) {
        return Double.parseDouble(string(name, Double.toString(fallback)));
    }

    /** A duration such as {@code 30s}, {@code 5m} or {@code 1h}. */
    static Duration duration(String name, String fallback) {
        String value = string(name, fallback).toLowerCase();
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException(name + " must end in s, m or h: " + value);
        };
    }

    /** The base URL given, checked to be on loopback, or null when the run starts its own gateway. */
    static @Nullable String baseUrlOrNull() {
        String url = System.getProperty(BASE_URL);
        if (url == null || url.isBlank()) {
            return null;
        }
        String host = URI.create(url.trim()).getHost();
        if (host == null || !(host.startsWith("127.") || host.equals("localhost"))) {
            throw new IllegalArgumentException(BASE_URL + " must be on loopback (127.x.x.x or localhost): load "
                    + "tests never leave this machine, got " + url);
        }
        return url.trim().replaceAll("/+$", "");
    }

    /**
     * Loopback source addresses 127.1.0.1, 127.1.0.2, ... (the whole 127/8 is loopback on Linux, no set-up needed):
     * each user binds one, so the gateway sees many clients (anonymous limits are per address) and each address has
     * its own ~28,000 ephemeral ports.
     */
    static List<String> localAddresses(int fallback) {
        int count = integer(LOCAL_ADDRESSES, fallback);
        List<String> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            addresses.add("127.1." + (i / 250) + "." + (i % 250 + 1));
        }
        return addresses;
    }
}
