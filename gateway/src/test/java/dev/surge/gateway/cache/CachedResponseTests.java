package dev.surge.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CachedResponseTests {

    @Test
    void etagIsAStableQuotedStrongValidatorThatChangesWithTheBytes() {
        byte[] a = "{\"status\":\"shipped\"}".getBytes(StandardCharsets.UTF_8);
        byte[] b = "{\"status\":\"delivered\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(CachedResponse.etag(a)).isEqualTo(CachedResponse.etag(a.clone()))
                .matches("\"[0-9a-f]{16}\"");
        assertThat(CachedResponse.etag(a)).isNotEqualTo(CachedResponse.etag(b));
    }

    @Test
    void redisFormatRoundTripsAndUnknownFormatsAreMisses() {
        CachedResponse entry = CachedResponse.of("{\"id\":\"O1\"}".getBytes(StandardCharsets.UTF_8), 1_700_000_000_000L, 42);
        CachedResponse back = CachedResponse.fromBytes(entry.toBytes());
        assertThat(back).isNotNull();
        assertThat(back.body()).isEqualTo(entry.body());
        assertThat(back.etag()).isEqualTo(entry.etag());
        assertThat(back.fetchedAtMillis()).isEqualTo(entry.fetchedAtMillis());
        assertThat(back.loadMillis()).isEqualTo(42);
        assertThat(CachedResponse.fromBytes("{\"json\":true}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(CachedResponse.fromBytes(new byte[0])).isNull();
    }
}
