package dev.surge.gateway.selfservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class JsonRepresentationsTests {

    @Test
    void etagIsAStableQuotedStrongValidatorThatChangesWithTheBytes() {
        byte[] a = "{\"status\":\"shipped\"}".getBytes(StandardCharsets.UTF_8);
        byte[] b = "{\"status\":\"delivered\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonRepresentations.etag(a)).isEqualTo(JsonRepresentations.etag(a.clone()))
                .matches("\"[0-9a-f]{16}\"");
        assertThat(JsonRepresentations.etag(a)).isNotEqualTo(JsonRepresentations.etag(b));
    }
}
