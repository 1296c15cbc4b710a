package dev.surge.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.micrometer.core.instrument.MeterRegistry;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile connections on one instance: thousands of idle keep-alive connections and half-sent requests held at once,
 * a few clients dripping a header a byte at a time, and connections over the bound. A customer on a new connection is
 * still served within its usual latency; the server closes every hostile connection after its timeout (the idle ones
 * after the idle timeout, the half-sent and dripping ones after the header timeout, counted from their first byte),
 * and refuses a connection over the bound at once. Everything here is raw sockets to 127.0.0.1, so no client pool
 * holds connections the test does not know of.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.netty.idle-timeout=" + HostileConnectionsIntegrationTests.IDLE_SECONDS + "s",
        "surge.http.request-header-timeout=" + HostileConnectionsIntegrationTests.HEADER_SECONDS + "s",
        "surge.http.request-body-timeout=2s",
        "surge.ratelimit.enabled=false", // the customer's requests here are many for one second; limits are not the point
        "surge.http.max-connections=" + HostileConnectionsIntegrationTests.MAX_CONNECTIONS})
class HostileConnectionsIntegrationTests {

    static final int IDLE_SECONDS = 20;
    static final int HEADER_SECONDS = 5;
    static final int MAX_CONNECTIONS = 3200;
    private static final int IDLE = 1500;
    private static final int HALF_SENT = 1500;
    private static final int DRIPPING = 5;
    private static final int SAMPLES = 20;
    /** Slack for a busy machine past a timeout before the client sees the connection closed. */
    private static final long LATE_NANOS = TimeUnit.SECONDS.toNanos(6);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    private double open() {
        return registry.get("surge.http.connections.open").gauge().value();
    }

    @Test
    void aCustomerIsServedAsUsualWhileThousandsOfHostileConnectionsAreHeldAndEachIsClosedAfterItsTimeout()
            throws IOException {
        String token = customerToken("c4242");
        await(() -> open() == 0, Duration.ofSeconds(15)); // the token's connection is gone: every one left is ours
        customerLatencies(token, SAMPLES); // warm-up: JIT, caches, the token verified once
        for (int i = 0; i < SAMPLES; i++) { // and the idle connections' one request
            Sockets.exchange(port, "GET /no-such-page HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        }
        long[] before = customerLatencies(token, SAMPLES);

        List<SocketChannel> all = new ArrayList<>();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try {
            long t0 = System.nanoTime();
            // 1,500 keep-alive connections that made one request each and then say nothing.
            List<SocketChannel> idle = new ArrayList<>();
            Map<SocketChannel, Long> idleSince = new HashMap<>();
            for (int i = 0; i < IDLE; i++) {
                SocketChannel channel = Sockets.open(port);
                all.add(channel);
                idle.add(channel);
                idleSince.put(channel, System.nanoTime());
                Sockets.write(channel, "GET /no-such-page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            }
            Map<SocketChannel, Long> answered = Sockets.readUntil(idle,
                    (bytes, closed) -> Sockets.wholeResponse(bytes) || closed, deadline(Duration.ofSeconds(30)));
            assertThat(answered).hasSize(IDLE);

            // 1,500 requests cut off in the middle of their headers.
            List<SocketChannel> halfSent = new ArrayList<>();
            Map<SocketChannel, Long> headStarted = new HashMap<>();
            for (int i = 0; i < HALF_SENT; i++) {
                SocketChannel channel = Sockets.open(port);
                all.add(channel);
                halfSent.add(channel);
                headStarted.put(channel, System.nanoTime());
                Sockets.write(channel, "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ");
            }
            // A few that are never idle: a byte of an endless header every 300 ms.
            List<SocketChannel> dripping = new ArrayList<>();
            for (int i = 0; i < DRIPPING; i++) {
                SocketChannel channel = Sockets.open(port);
                all.add(channel);
                dripping.add(channel);
                headStarted.put(channel, System.nanoTime());
                Sockets.write(channel, "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            }
            drip.scheduleAtFixedRate(() -> dripping.forEach(channel -> {
                try {
                    Sockets.write(channel, "a");
                } catch (RuntimeException closed) {
                    // closed by the server: what the test waits for
                }
            }), 300, 300, TimeUnit.MILLISECONDS);

            int hostile = IDLE + HALF_SENT + DRIPPING;
            System.out.printf("hostile connections opened in %.2f s%n", (System.nanoTime() - t0) / 1e9);
            // The kernel completes a connect before the server accepts it: wait for the server to have them all.
            // (On a machine so busy that this takes longer than the idle timeout, the first ones are already gone.)
            await(() -> open() >= hostile, Duration.ofSeconds(3));
            long[] during = customerLatencies(token, SAMPLES);
            assertThat(open()).as("connections still held after the customer's requests")
                    .isGreaterThanOrEqualTo(hostile);
            long medianBefore = before[SAMPLES / 2];
            long medianDuring = during[SAMPLES / 2];
            System.out.printf("hostile connections: %d held; customer GET /api/v1/me on a new connection, median "
                            + "%.2f ms before (p90 %.2f), %.2f ms during (p90 %.2f)%n", hostile,
                    medianBefore / 1e6, before[SAMPLES * 9 / 10] / 1e6, medianDuring / 1e6,
                    during[SAMPLES * 9 / 10] / 1e6);
            assertThat(medianDuring).as("median ns of a customer's request during the flood (before: %d)",
                    medianBefore).isLessThanOrEqualTo(Math.max(5 * medianBefore, TimeUnit.MILLISECONDS.toNanos(200)));

            // Up to the bound with connections that send nothing; one more is closed at once, unanswered.
            List<SocketChannel> filling = new ArrayList<>();
            Map<SocketChannel, Long> connected = new HashMap<>();
            int room = MAX_CONNECTIONS - (int) open();
            for (int i = 0; i < room; i++) {
                long at = System.nanoTime();
                SocketChannel channel = Sockets.open(port);
                all.add(channel);
                filling.add(channel);
                connected.put(channel, at);
            }
            await(() -> open() == MAX_CONNECTIONS, Duration.ofSeconds(10));
            double refusedBefore = registry.get("surge.http.connections.refused").functionCounter().count();
            SocketChannel over = Sockets.open(port);
            all.add(over);
            Map<SocketChannel, Long> refused = Sockets.readUntil(List.of(over),
                    (bytes, closed) -> closed || bytes.size() > 0, deadline(Duration.ofSeconds(3)));
            assertThat(refused).as("the connection over the bound is closed at once").containsKey(over);
            assertThat(registry.get("surge.http.connections.refused").functionCounter().count())
                    .isEqualTo(refusedBefore + 1);
            assertThat(open()).isEqualTo(MAX_CONNECTIONS);

            // Every hostile connection is closed by the server, each after its own timeout and not before.
            List<SocketChannel> held = new ArrayList<>(idle);
            held.addAll(halfSent);
            held.addAll(dripping);
            held.addAll(filling);
            Map<SocketChannel, Long> closedAt = Sockets.readUntil(held, (bytes, closed) -> closed,
                    deadline(Duration.ofSeconds(IDLE_SECONDS).plusNanos(LATE_NANOS)));
            // The server's idle clock starts when it has answered: after the request was sent, before it was read.
            assertClosedAfter(idle, idleSince, answered, closedAt, IDLE_SECONDS, "idle keep-alive");
            assertClosedAfter(filling, connected, connected, closedAt, IDLE_SECONDS, "silent");
            assertClosedAfter(halfSent, headStarted, headStarted, closedAt, HEADER_SECONDS, "half-sent");
            assertClosedAfter(dripping, headStarted, headStarted, closedAt, HEADER_SECONDS, "dripping");
            await(() -> open() == 0, Duration.ofSeconds(10));
        } finally {
            drip.shutdownNow();
            Sockets.closeAll(all);
        }
        long[] after = customerLatencies(token, SAMPLES);
        assertThat(after[SAMPLES / 2]).isLessThanOrEqualTo(Math.max(5 * before[SAMPLES / 2],
                TimeUnit.MILLISECONDS.toNanos(200)));
    }

    /**
     * Each connection was closed no sooner than the timeout after {@code notBefore} (when the server's clock can
     * have started at the earliest) and no later than the timeout and some slack after {@code notAfter} (when it
     * had started at the latest).
     */
    private static void assertClosedAfter(List<SocketChannel> channels, Map<SocketChannel, Long> notBefore,
                                          Map<SocketChannel, Long> notAfter, Map<SocketChannel, Long> closedAt,
                                          int timeoutSeconds, String what) {
        long timeout = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long earliest = Long.MAX_VALUE;
        long latest = 0;
        for (SocketChannel channel : channels) {
            assertThat(closedAt).as("%s connection closed by the server", what).containsKey(channel);
            earliest = Math.min(earliest, closedAt.get(channel) - notBefore.get(channel));
            latest = Math.max(latest, closedAt.get(channel) - notAfter.get(channel));
        }
        System.out.printf("%d %s connections closed %.2f s at the earliest, %.2f s at the latest after their "
                        + "start (timeout %d s)%n",
                channels.size(), what, earliest / 1e9, latest / 1e9, timeoutSeconds);
        assertThat(earliest).as("%s: earliest close, ns after start", what).isGreaterThanOrEqualTo(timeout);
        assertThat(latest).as("%s: latest close, ns after start", what).isLessThanOrEqualTo(timeout + LATE_NANOS);
    }

    @Test
    void headersOverTheLimitGet431ProblemJsonAndTheConnectionIsClosed() throws IOException {
        String big = "x".repeat(9 * 1024);
        Sockets.Response response = Sockets.exchange(port, "GET /api/v1/me?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-Big: " + big + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(431);
        assertThat(Sockets.header(response.head(), "content-type")).isEqualTo("application/problem+json");
        assertThat(Sockets.header(response.head(), "connection")).isEqualTo("close");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("https://surge.dev/problems/header-too-large");
        assertThat(problem.get("status").asInt()).isEqualTo(431);
        assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/me");
        assertThat(problem.get("detail").asString()).isNotBlank();
    }

    @Test
    void aRequestLineOverTheLimitGets414ProblemJson() throws IOException {
        Sockets.Response response = Sockets.exchange(port, "GET /api/v1/inventory/" + "s".repeat(5000)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(response.status()).isEqualTo(414);
        assertThat(Sockets.header(response.head(), "content-type")).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("https://surge.dev/problems/uri-too-long");
        assertThat(problem.has("instance")).as("a request target too long to echo").isFalse();
    }

    @Test
    void aHeadThatIsNotHttpGets400ProblemJson() throws IOException {
        Sockets.Response response = Sockets.exchange(port,
                "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(Sockets.header(response.head(), "content-type")).isEqualTo("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("type").asString())
                .isEqualTo("https://surge.dev/problems/bad-request");
    }

    @Test
    void aBodyThatStopsComingIsCutOffAfterTheBodyTimeout() throws IOException {
        String token = customerToken("c4243");
        SocketChannel channel = Sockets.open(port);
        try {
            long started = System.nanoTime();
            Sockets.write(channel, "POST /api/v1/escalations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\nIdempotency-Key: k-body-timeout\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"reason\":");
            StringBuilder answer = new StringBuilder();
            Map<SocketChannel, Long> closed = Sockets.readUntil(List.of(channel), (bytes, eof) -> {
                answer.setLength(0);
                answer.append(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
                return eof;
            }, deadline(Duration.ofSeconds(10)));
            assertThat(closed).containsKey(channel);
            assertThat(answer.toString()).startsWith("HTTP/1.1 408 ").contains("application/problem+json")
                    .contains("https://surge.dev/problems/request-timeout");
            assertThat(closed.get(channel) - started).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(2));
        } finally {
            channel.close();
        }
    }

    private String customerToken(String customerId) throws IOException {
        String body = "{\"customerId\":\"" + customerId + "\"}";
        Sockets.Response response = Sockets.exchange(port, "POST /demo/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                + body);
        assertThat(response.status()).isEqualTo(200);
        return JSON.readTree(response.body()).get("accessToken").asString();
    }

    /** Nanoseconds of {@code count} customer requests, each on a new connection, sorted. */
    private long[] customerLatencies(String token, int count) throws IOException {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            Sockets.Response response = Sockets.exchange(port, "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
            nanos[i] = System.nanoTime() - started;
            assertThat(response.status()).isEqualTo(200);
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static long deadline(Duration wait) {
        return System.nanoTime() + wait.toNanos();
    }

    /** Polls a real condition every 50 ms until it holds; fails after {@code wait}. */
    private static void await(BooleanSupplier condition, Duration wait) {
        long deadline = deadline(wait);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition still false after %s", wait).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
