package dev.surge.gateway.demo;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** The demo back office, under {@code surge.demo}. */
@Validated
@ConfigurationProperties("surge.demo")
public class DemoProperties {

    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_CUSTOMERS = 100_000;
    public static final int DEFAULT_SKUS = 5_000;
    public static final Duration DEFAULT_RETURN_WINDOW = Duration.ofDays(30);
    public static final int DEFAULT_MAX_CHANGED_CUSTOMERS = 10_000;
    public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);

    /** Whether the simulator and the demo endpoints run. Default false; the demo profile turns it on. */
    private boolean enabled;

    /**
     * Whether {@code /demo/**} (token minting, fault injection) answers callers on other machines too. Default false:
     * only loopback callers without a forwarding header are served, everyone else gets 404. Env
     * {@code SURGE_DEMO_EXPOSE}; only for a private test network, since anyone who reaches the port can mint tokens.
     */
    private boolean expose;

    /** Seed of the demo data: the same seed gives the same customers, orders and stock everywhere. Default 42. */
    private long seed = DEFAULT_SEED;

    /** Number of demo customers, {@code c1}…{@code cN}. Default 100000, allowed 1 to 10000000. */
    @Min(value = 1, message = "surge.demo.customers must be between 1 and 10000000")
    @Max(value = 10_000_000, message = "surge.demo.customers must be between 1 and 10000000")
    private int customers = DEFAULT_CUSTOMERS;

    /** Number of demo SKUs, {@code SKU-00001}…. Default 5000, allowed 1 to 99999. */
    @Min(value = 1, message = "surge.demo.skus must be between 1 and 99999")
    @Max(value = 99_999, message = "surge.demo.skus must be between 1 and 99999")
    private int skus = DEFAULT_SKUS;

    /** How long after delivery an order's lines can be returned. Default 30d, allowed 1d to 365d. */
    private Duration returnWindow = DEFAULT_RETURN_WINDOW;

    /**
     * Most customers whose changes (returns, cancellations, addresses, preferences, Idempotency-Keys) the simulator
     * keeps in memory; beyond it the customer whose changes began longest ago is forgotten whole. Default 10000,
     * allowed 1 to 1000000.
     */
    @Min(value = 1, message = "surge.demo.max-changed-customers must be between 1 and 1000000")
    @Max(value = 1_000_000, message = "surge.demo.max-changed-customers must be between 1 and 1000000")
    private int maxChangedCustomers = DEFAULT_MAX_CHANGED_CUSTOMERS;

    /**
     * How long the simulator remembers a write's Idempotency-Key and answer (at most 64 keys per customer). Default
     * 24h, the same as the gateway's escalations; allowed 1m to 7d.
     */
    private Duration idempotencyTtl = DEFAULT_IDEMPOTENCY_TTL;

    @Valid
    private final Backoffice backoffice = new Backoffice();

    @AssertTrue(message = "surge.demo.return-window must be between 1d and 365d, surge.demo.idempotency-ttl between "
            + "1m and 7d")
    boolean isDurationsInRange() {
        return returnWindow.compareTo(Duration.ofDays(1)) >= 0 && returnWindow.compareTo(Duration.ofDays(365)) <= 0
                && idempotencyTtl.compareTo(Duration.ofMinutes(1)) >= 0
                && idempotencyTtl.compareTo(Duration.ofDays(7)) <= 0;
    }

    /** Where the simulator listens. */
    public static class Backoffice {

        /** Address the simulator binds. Default 127.0.0.1: it is never meant to be reached from outside. */
        @NotBlank(message = "surge.demo.backoffice.host must not be blank")
        private String host = "127.0.0.1";

        /** Port of the simulator; default 0 picks a free one at start-up, so instances run side by side. */
        @Min(value = 0, message = "surge.demo.backoffice.port must be between 0 and 65535")
        @Max(value = 65535, message = "surge.demo.backoffice.port must be between 0 and 65535")
        private int port;

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isExpose() {
        return expose;
    }

    public void setExpose(boolean expose) {
        this.expose = expose;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }

    public int getCustomers() {
        return customers;
    }

    public void setCustomers(int customers) {
        this.customers = customers;
    }

    public int getSkus() {
        return skus;
    }

    public void setSkus(int skus) {
        this.skus = skus;
    }

    public Duration getReturnWindow() {
        return returnWindow;
    }

    public void setReturnWindow(Duration returnWindow) {
        this.returnWindow = returnWindow;
    }

    public int getMaxChangedCustomers() {
        return maxChangedCustomers;
    }

    public void setMaxChangedCustomers(int maxChangedCustomers) {
        this.maxChangedCustomers = maxChangedCustomers;
    }

    public Duration getIdempotencyTtl() {
        return idempotencyTtl;
    }

    public void setIdempotencyTtl(Duration idempotencyTtl) {
        this.idempotencyTtl = idempotencyTtl;
    }

    public Backoffice getBackoffice() {
        return backoffice;
    }
}
