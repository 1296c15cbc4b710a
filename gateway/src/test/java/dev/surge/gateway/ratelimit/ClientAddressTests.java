package dev.surge.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** X-Forwarded-For is believed only as far as trusted proxies wrote it. */
class ClientAddressTests {

    private final ClientAddress behindProxies = new ClientAddress(List.of("10.0.0.0/8", "192.168.1.7"));

    private static MockServerHttpRequest from(String peer, String... forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/v1/inventory/SKU-1")
                .remoteAddress(new InetSocketAddress(peer, 40_000));
        for (String hop : forwardedFor) {
            request.header("X-Forwarded-For", hop);
        }
        return request.build();
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
        ClientAddress direct = new ClientAddress(List.of());
        assertThat(direct.of(from("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
    }

    @Test
    void anUntrustedPeerCannotChooseItsKeyWithTheHeader() {
        assertThat(behindProxies.of(from("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
    }

    @Test
    void theRightmostAddressNotWrittenByATrustedProxyIsTheClient() {
        // the client forged the first entry; the proxies appended the real one and themselves
        assertThat(behindProxies.of(from("10.1.2.3", "1.1.1.1, 198.51.100.23, 192.168.1.7"))).isEqualTo("198.51.100.23");
        assertThat(behindProxies.of(from("10.1.2.3", "1.1.1.1", "198.51.100.23"))).isEqualTo("198.51.100.23");
    }

    @Test
    void garbageInTheHeaderIsNeverTrustedNorResolved() {
        assertThat(behindProxies.of(from("10.1.2.3", "evil.example"))).isEqualTo("evil.example");
        assertThat(behindProxies.of(from("10.1.2.3"))).isEqualTo("10.1.2.3");
    }

    @Test
    void aMisconfiguredProxyRangeFailsAtStartup() {
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.internal"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }
}
