package dev.surge.gateway.core;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;

/**
 * Limits of the public HTTP API, under {@code surge.http}. The idle keep-alive timeout and the header size limits are
 * Boot's own properties ({@code server.netty.idle-timeout}, {@code server.max-http-request-header-size},
 * {@code server.netty.max-initial-line-length}); these are what Boot and Reactor Netty do not offer.
 */
@Validated
@ConfigurationProperties("surge.http")
public class HttpProperties {

    /** Default largest request body: 64 KiB, far above any self-service request. */
    public static final DataSize DEFAULT_MAX_REQUEST_BODY = DataSize.ofKilobytes(64);
    /** Default time a request head has to arrive whole, from its first byte: a phone on a bad link needs far less. */
    public static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** Default time a request body has to arrive whole, from the end of its head: 64 KiB at 3 KB/s. */
    public static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(20);
    /** Default most open client connections per instance: half the 20,000 open files a process may hold here. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /** Largest request body accepted; larger ones get 413. Default 64KB, allowed 1KB to 10MB. */
    private DataSize maxRequestBody = DEFAULT_MAX_REQUEST_BODY;

    /**
     * Longest a request head (request line and headers) may take to arrive, from its first byte; a connection that
     * has not sent a whole head by then is closed (slowloris). Waiting for the first byte is the idle timeout's
     * business. Default 10s, allowed 100ms to 5m.
     */
    private Duration requestHeaderTimeout = DEFAULT_REQUEST_HEADER_TIMEOUT;

    /**
     * Longest a request body may take to arrive, from the end of its head; then the connection is closed (Reactor
     * Netty's {@code requestTimeout}). Default 20s, allowed 100ms to 5m.
     */
    private Duration requestBodyTimeout = DEFAULT_REQUEST_BODY_TIMEOUT;

    /**
     * Most client connections open at once on this instance's HTTP port; a connection over it is closed as soon as it
     * is accepted, before anything is read. Keep it well under the process's open-file limit ({@code ulimit -n}),
     * which Redis, the back office and the spool share. Default 10000, allowed 16 to 1000000.
     */
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;

    public DataSize getMaxRequestBody() {
        return maxRequestBody;
    }

    public void setMaxRequestBody(DataSize maxRequestBody) {
        this.maxRequestBody = maxRequestBody;
    }

    public Duration getRequestHeaderTimeout() {
        return requestHeaderTimeout;
    }

    public void setRequestHeaderTimeout(Duration requestHeaderTimeout) {
        this.requestHeaderTimeout = requestHeaderTimeout;
    }

    public Duration getRequestBodyTimeout() {
        return requestBodyTimeout;
    }

    public void setRequestBodyTimeout(Duration requestBodyTimeout) {
        this.requestBodyTimeout = requestBodyTimeout;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @AssertTrue(message = "surge.http.max-request-body must be between 1KB and 10MB")
    boolean isMaxRequestBodyInRange() {
        return maxRequestBody.toBytes() >= 1024 && maxRequestBody.toBytes() <= DataSize.ofMegabytes(10).toBytes();
    }

    @AssertTrue(message = "surge.http.request-header-timeout and .request-body-timeout must be between 100ms and 5m")
    boolean isTimeoutsInRange() {
        return within(requestHeaderTimeout) && within(requestBodyTimeout);
    }

    @AssertTrue(message = "surge.http.max-connections must be between 16 and 1000000")
    boolean isMaxConnectionsInRange() {
        return maxConnections >= 16 && maxConnections <= 1_000_000;
    }

    private static boolean within(Duration timeout) {
        return timeout.compareTo(Duration.ofMillis(100)) >= 0 && timeout.compareTo(Duration.ofMinutes(5)) <= 0;
    }
}
