package dev.surge.gateway.core;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;

/** Limits of the public HTTP API, under {@code surge.http}. */
@Validated
@ConfigurationProperties("surge.http")
public class HttpProperties {

    /** Default largest request body: 64 KiB, far above any self-service request. */
    public static final DataSize DEFAULT_MAX_REQUEST_BODY = DataSize.ofKilobytes(64);

    /** Largest request body accepted; larger ones get 413. Default 64KB, allowed 1KB to 10MB. */
    private DataSize maxRequestBody = DEFAULT_MAX_REQUEST_BODY;

    public DataSize getMaxRequestBody() {
        return maxRequestBody;
    }

    public void setMaxRequestBody(DataSize maxRequestBody) {
        this.maxRequestBody = maxRequestBody;
    }

    @AssertTrue(message = "surge.http.max-request-body must be between 1KB and 10MB")
    boolean isMaxRequestBodyInRange() {
        return maxRequestBody.toBytes() >= 1024 && maxRequestBody.toBytes() <= DataSize.ofMegabytes(10).toBytes();
    }
}
