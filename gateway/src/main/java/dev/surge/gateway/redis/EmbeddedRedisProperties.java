package dev.surge.gateway.redis;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The Redis server Surge starts itself when no Redis is configured, under {@code surge.redis.embedded}. */
@Validated
@ConfigurationProperties("surge.redis.embedded")
public class EmbeddedRedisProperties {

    /** Default memory cap of the embedded server. */
    public static final DataSize DEFAULT_MAX_MEMORY = DataSize.ofMegabytes(512);

    /**
     * Whether to start an embedded Redis when none is configured ({@code spring.data.redis.url}, {@code host},
     * {@code port}, sentinel or cluster). Default false; the demo profile turns it on; the prod profile never does.
     */
    private boolean enabled;

    /** Loopback port of the embedded server; default 0 picks a free one, so instances run side by side. */
    @Min(value = 0, message = "surge.redis.embedded.port must be between 0 and 65535")
    @Max(value = 65535, message = "surge.redis.embedded.port must be between 0 and 65535")
    private int port;

    /** Memory cap of the embedded server (Redis {@code maxmemory}). Default 512MB, allowed 16MB to 16GB. */
    private DataSize maxMemory = DEFAULT_MAX_MEMORY;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public DataSize getMaxMemory() {
        return maxMemory;
    }

    public void setMaxMemory(DataSize maxMemory) {
        this.maxMemory = maxMemory;
    }

    @AssertTrue(message = "surge.redis.embedded.max-memory must be between 16MB and 16GB")
    boolean isMaxMemoryInRange() {
        return maxMemory.toMegabytes() >= 16 && maxMemory.toMegabytes() <= 16 * 1024;
    }
}
