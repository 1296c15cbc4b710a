package dev.surge.gateway.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.Unpooled;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * An identity provider's JWKS endpoint the test controls, on a free loopback port: which public keys it lists, whether
 * it answers 503 (down) or only after a delay (slow), and how often it was asked.
 */
final class JwksServer implements AutoCloseable {

    private final AtomicReference<List<RSAKey>> published = new AtomicReference<>(List.of());
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private volatile boolean down;
    private final AtomicInteger requests = new AtomicInteger();
    private final DisposableServer server;

    JwksServer() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/jwks.json", (req, res) -> {
                    requests.incrementAndGet();
                    Mono<Void> answer = Mono.defer(() -> {
                        if (down) {
                            return res.status(503).send().then();
                        }
                        byte[] body = new JWKSet(List.copyOf(published.get())).toPublicJWKSet().toString()
                                .getBytes(StandardCharsets.UTF_8);
                        return res.header("Content-Type", "application/json")
                                .sendObject(Unpooled.wrappedBuffer(body)).then();
                    });
                    Duration wait = delay.get();
                    return wait.isZero() ? answer : Mono.delay(wait).then(answer);
                }))
                .bindNow(Duration.ofSeconds(10));
    }

    static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String uri() {
        return "http://127.0.0.1:" + server.port() + "/jwks.json";
    }

    void publish(RSAKey... keys) {
        published.set(List.of(keys));
    }

    void down(boolean down) {
        this.down = down;
    }

    void delay(Duration delay) {
        this.delay.set(delay);
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
