package dev.surge.gateway.backoffice;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Where the back office is and how Surge talks to it, under {@code surge.backoffice}. Each dependency
 * ({@link BackOfficeDependency}) can override the base URL and timeout, to put Surge in front of several systems.
 */
@Validated
@ConfigurationProperties("surge.backoffice")
public class BackOfficeProperties {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(500);
    /** 6 dependencies × a bulkhead of 50 calls (300) fit in it, so a slow one never starves the others. */
    public static final int DEFAULT_MAX_CONNECTIONS = 320;
    public static final int DEFAULT_PENDING_ACQUIRE_MAX = 1024;
    public static final Duration DEFAULT_PENDING_ACQUIRE_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_LIFE_TIME = Duration.ofMinutes(5);

    /**
     * Base URL of the back office, for every dependency without its own. No default in prod; on the demo profile it
     * is the built-in simulator's address unless set.
     */
    @NotNull(message = "surge.backoffice.base-url must be set (the demo profile sets it to the simulator)")
    private @Nullable URI baseUrl;

    /** Longest wait for one back-office call before the customer gets 504. Default 2s, allowed 10ms to 60s. */
    private Duration timeout = DEFAULT_TIMEOUT;

    /** Longest wait to open a TCP connection to the back office. Default 500ms. */
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    /** Most open connections to the back office per gateway instance, all dependencies together. Default 320. */
    @Min(value = 1, message = "surge.backoffice.max-connections must be between 1 and 10000")
    @Max(value = 10000, message = "surge.backoffice.max-connections must be between 1 and 10000")
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;

    /** Most calls waiting for a free connection; beyond it calls fail at once with 502. Default 1024. */
    @Min(value = 1, message = "surge.backoffice.pending-acquire-max-count must be at least 1")
    private int pendingAcquireMaxCount = DEFAULT_PENDING_ACQUIRE_MAX;

    /** Longest wait for a free connection. Default 500ms. */
    private Duration pendingAcquireTimeout = DEFAULT_PENDING_ACQUIRE_TIMEOUT;

    /** Idle connections are closed after this. Default 30s, below common load-balancer idle limits. */
    private Duration maxIdleTime = DEFAULT_MAX_IDLE_TIME;

    /** Connections are recycled after this, so DNS and load-balancer changes are picked up. Default 5m. */
    private Duration maxLifeTime = DEFAULT_MAX_LIFE_TIME;

    /** Per-dependency overrides, keyed by dependency name (customers, accounts, orders, shipping, inventory,
     * returns). */
    private Map<BackOfficeDependency, @Valid Dependency> dependencies = new LinkedHashMap<>();

    /** Overrides for one back-office dependency. */
    public static class Dependency {

        /** Base URL of this dependency; default the common {@code surge.backoffice.base-url}. */
        private @Nullable URI baseUrl;

        /** Timeout of this dependency's calls; default the common {@code surge.backoffice.timeout}. */
        private @Nullable Duration timeout;

        public @Nullable URI getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(@Nullable URI baseUrl) {
            this.baseUrl = baseUrl;
        }

        public @Nullable Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** The base URL a dependency's calls go to. */
    public URI baseUrl(BackOfficeDependency dependency) {
        Dependency override = dependencies.get(dependency);
        URI url = override != null && override.getBaseUrl() != null ? override.getBaseUrl() : baseUrl;
        if (url == null) {
            throw new IllegalStateException("surge.backoffice.base-url is not set");
        }
        return url;
    }

    /** The timeout of a dependency's calls. */
    public Duration timeout(BackOfficeDependency dependency) {
        Dependency override = dependencies.get(dependency);
        return override != null && override.getTimeout() != null ? override.getTimeout() : timeout;
    }

    @AssertTrue(message = "back-office timeouts must be between 10ms and 60s")
    boolean isTimeoutInRange() {
        return inRange(timeout) && dependencies.values().stream()
                .allMatch(d -> d.getTimeout() == null || inRange(d.getTimeout()));
    }

    private static boolean inRange(Duration d) {
        return d.compareTo(Duration.ofMillis(10)) >= 0 && d.compareTo(Duration.ofSeconds(60)) <= 0;
    }

    public @Nullable URI getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(@Nullable URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getPendingAcquireMaxCount() {
        return pendingAcquireMaxCount;
    }

    public void setPendingAcquireMaxCount(int pendingAcquireMaxCount) {
        this.pendingAcquireMaxCount = pendingAcquireMaxCount;
    }

    public Duration getPendingAcquireTimeout() {
        return pendingAcquireTimeout;
    }

    public void setPendingAcquireTimeout(Duration pendingAcquireTimeout) {
        this.pendingAcquireTimeout = pendingAcquireTimeout;
    }

    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }

    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = maxIdleTime;
    }

    public Duration getMaxLifeTime() {
        return maxLifeTime;
    }

    public void setMaxLifeTime(Duration maxLifeTime) {
        this.maxLifeTime = maxLifeTime;
    }

    public Map<BackOfficeDependency, Dependency> getDependencies() {
        return dependencies;
    }

    public void setDependencies(Map<BackOfficeDependency, Dependency> dependencies) {
        this.dependencies = dependencies;
    }
}
