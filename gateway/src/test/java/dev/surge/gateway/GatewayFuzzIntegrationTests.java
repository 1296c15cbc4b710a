package dev.surge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The whole gateway, end to end, against whatever a client may send: a fuzzed request line (method, path, query),
 * fuzzed {@code Authorization}, {@code Idempotency-Key} and {@code X-Forwarded-For} headers (loopback is a trusted
 * proxy here, so the header is read) and a fuzzed body, written raw to a socket so nothing is cleaned up on the way.
 * Whatever it is, the answer is never a 5xx, and every error is problem+json.
 *
 * <p>An input is split at its zero bytes: control (first byte: method; second: which token), path, query,
 * Idempotency-Key, X-Forwarded-For, body. The normal build replays the inputs in
 * {@code GatewayFuzzIntegrationTestsInputs} (a bounded set); README, "Fuzzing", says how to look for new ones.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "surge.ratelimit.trusted-proxies=127.0.0.1")
class GatewayFuzzIntegrationTests {

    private static final String[] METHODS = {"GET", "POST", "DELETE", "PUT", "HEAD", "OPTIONS"};
    private static final String[] PREFIXES = {"/api/v1/", "/api/v1/me/orders/", "/api/v1/escalations/",
        "/api/v1/waiting-room/", "/api/v1/inventory/", "/"};
    private static final java.util.Set<String> LOOPBACK = java.util.Set.of("127.0.0.1", "localhost", "::1");
    private static String customerToken;
    private static String agentToken;

    @LocalServerPort
    int port;

    @FuzzTest(maxDuration = "5m")
    void noRequestIsAnsweredWithA5xx(byte[] input) throws IOException {
        List<byte[]> fields = split(input, 6);
        byte[] control = fields.get(0);
        String method = METHODS[control.length > 0 ? Math.floorMod(control[0], METHODS.length) : 0];
        int auth = control.length > 1 ? Math.floorMod(control[1], 4) : 0;
        String prefix = PREFIXES[control.length > 2 ? Math.floorMod(control[2], PREFIXES.length) : 0];

        ByteArrayOutputStream request = new ByteArrayOutputStream();
        write(request, method + " " + prefix);
        request.writeBytes(fields.get(1));
        if (fields.get(2).length > 0) {
            write(request, "?");
            request.writeBytes(fields.get(2));
        }
        write(request, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        switch (auth) {
            case 1 -> write(request, "Authorization: Bearer " + customerToken() + "\r\n");
            case 2 -> write(request, "Authorization: Bearer " + agentToken() + "\r\n");
            case 3 -> header(request, "Authorization", fields.get(3));
            default -> { }
        }
        header(request, "Idempotency-Key", fields.get(3));
        header(request, "X-Forwarded-For", fields.get(4));
        byte[] body = fields.get(5);
        write(request, "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n");
        request.writeBytes(body);

        String head = exchange(request.toByteArray());
        assertThat(head).as("an answer to %s %s", method, prefix).startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(head.substring(9, 12));
        assertThat(status).as("status of %s", head).isLessThan(500);
        if (status >= 400 && !method.equals("HEAD")) {
            assertThat(head.toLowerCase(Locale.ROOT)).as("an error is problem+json: %s", head)
                    .contains("content-type: application/problem+json");
        }
    }

    private String customerToken() throws IOException {
        if (customerToken == null) {
            customerToken = mint("{\"customerId\":\"c4711\"}");
        }
        return customerToken;
    }

    private String agentToken() throws IOException {
        if (agentToken == null) {
            agentToken = mint("{\"agentId\":\"a-fuzz\",\"skills\":[\"orders\",\"billing\"]}");
        }
        return agentToken;
    }

    private String mint(String json) throws IOException {
        String answer = exchangeWhole(("POST /demo/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + json.length() + "\r\n\r\n" + json)
                .getBytes(StandardCharsets.ISO_8859_1));
        return answer.replaceAll("(?s).*\"accessToken\":\"([^\"]+)\".*", "$1");
    }

    private static void header(ByteArrayOutputStream request, String name, byte[] value) {
        if (value.length > 0) {
            write(request, name + ": ");
            request.writeBytes(value);
            write(request, "\r\n");
        }
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The input split at its first {@code count - 1} zero bytes; missing fields are empty. */
    private static List<byte[]> split(byte[] input, int count) {
        List<byte[]> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < input.length && fields.size() < count - 1; i++) {
            if (input[i] == 0) {
                fields.add(java.util.Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        fields.add(java.util.Arrays.copyOfRange(input, Math.min(start, input.length), input.length));
        while (fields.size() < count) {
            fields.add(new byte[0]);
        }
        return fields;
    }

    /** The response's head (status line and headers), read until the server closes the connection. */
    private String exchange(byte[] request) throws IOException {
        String whole = exchangeWhole(request);
        int end = whole.indexOf("\r\n\r\n");
        return end < 0 ? whole : whole.substring(0, end);
    }

    private String exchangeWhole(byte[] request) throws IOException {
        // Jazzer's SSRF detector flags every connection opened while a fuzz test runs unless allowed: this one to
        // the gateway, and the gateway's own to the back-office simulator and Redis, all on loopback.
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections(
                (host, to) -> LOOPBACK.contains(host));
             Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0 && response.size() < 1_000_000; n = in.read(buffer)) {
                    response.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // the server may close while the rest of a refused request is still unread: what came is the answer
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
