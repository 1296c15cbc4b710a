package dev.surge.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@code X-Forwarded-For} as a client may send it. The first line of an input picks the peer (a trusted proxy or
 * not), each further line is one {@code X-Forwarded-For} header. Whatever they say, the rate-limit key is the peer
 * itself unless the peer is a trusted proxy, and then one of the hops as sent or the peer; it never throws (a throw
 * would be a 500 on every /api/ call). The normal build replays the inputs in {@code ClientAddressFuzzTestsInputs}.
 */
class ClientAddressFuzzTests {

    private static final ClientAddress ADDRESSES = new ClientAddress(List.of("10.0.0.0/8", "127.0.0.1", "fd00::/8"));
    private static final List<String> PEERS = List.of("10.1.2.3", "127.0.0.1", "fd00::7", "203.0.113.9", "2001:db8::1");

    @FuzzTest(maxDuration = "2m")
    void theKeyIsThePeerOrAHopItsProxiesWrote(byte[] input) throws UnknownHostException {
        String[] lines = new String(input, StandardCharsets.ISO_8859_1).split("\n", -1);
        String peer = PEERS.get(Math.floorMod(lines[0].hashCode(), PEERS.size()));
        List<String> forwarded = Arrays.asList(lines).subList(1, lines.length);
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/v1/inventory/SKU-00001")
                .remoteAddress(new InetSocketAddress(InetAddress.getByName(peer), 40000)); // a literal: no lookup
        if (!forwarded.isEmpty()) {
            request.header("X-Forwarded-For", forwarded.toArray(String[]::new));
        }
        MockServerHttpRequest built = request.build();
        String key = ADDRESSES.of(built);
        String peerText = InetAddress.getByName(peer).getHostAddress();
        if (peer.equals("203.0.113.9") || peer.equals("2001:db8::1")) {
            assertThat(key).as("an untrusted peer's own word is ignored").isEqualTo(peerText);
        } else {
            assertThat(key).isNotBlank();
            // Hops as the request's headers give them (comma-separated values split, as the code reads them).
            List<String> hops = built.getHeaders().getValuesAsList("X-Forwarded-For").stream().map(String::trim)
                    .toList();
            assertThat(key.equals(peerText) || hops.contains(key)).as("key %s", key).isTrue();
        }
    }
}
