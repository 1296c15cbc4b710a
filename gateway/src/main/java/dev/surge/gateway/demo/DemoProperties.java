package dev.surge.gateway.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
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

    @Valid
    private final Backoffice backoffice = new Backoffice();

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

    public Backoffice getBackoffice() {
        return backoffice;
    }
}
