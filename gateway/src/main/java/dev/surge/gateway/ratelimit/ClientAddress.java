package dev.surge.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;

import io.netty.util.NetUtil;

/**
 * The client's address for anonymous limits. {@code X-Forwarded-For} is believed only as far as it was written by
 * configured proxies: walking it from the right, the first address that is not a trusted proxy is the client. From
 * any other peer the header is ignored, so a client cannot pick its own rate-limit key.
 */
final class ClientAddress {

    /** An address or CIDR range; parsed with Netty's literal parser, which never resolves names (DNS blocks). */
    private record Range(byte[] network, int prefixBits) {

        static Range parse(String cidr) {
            int slash = cidr.indexOf('/');
            byte[] address = bytes(slash < 0 ? cidr : cidr.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("surge.ratelimit.trusted-proxies: not an address: " + cidr);
            }
            int bits = slash < 0 ? address.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("surge.ratelimit.trusted-proxies: bad prefix: " + cidr);
            }
            return new Range(address, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefixBits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private final List<Range> trustedProxies;

    ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(String::trim).map(Range::parse).toList();
    }

    String of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        String peer = remote != null && remote.getAddress() != null ? remote.getAddress().getHostAddress() : "unknown";
        if (trustedProxies.isEmpty() || !trusted(peer)) {
            return peer;
        }
        List<String> forwarded = request.getHeaders().getValuesAsList("X-Forwarded-For");
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            String hop = forwarded.get(i).trim();
            if (!hop.isEmpty() && !trusted(hop)) { // an untrusted hop, or garbage: either way the client's own word
                return hop;
            }
        }
        return peer;
    }

    private boolean trusted(String address) {
        byte[] bytes = bytes(address);
        if (bytes == null) {
            return false;
        }
        for (Range proxy : trustedProxies) {
            if (proxy.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private static byte @Nullable [] bytes(String literal) {
        return NetUtil.createByteArrayFromIpAddressString(literal);
    }
}
