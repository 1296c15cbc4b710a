package dev.surge.gateway.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * The company's back office, played over real HTTP on its own Reactor Netty server (not the gateway's), so the
 * gateway's client, pool, timeouts and error mapping are exercised exactly as against a real one. The contract is
 * {@code docs/backoffice-api.md}.
 */
public final class BackOfficeSimulator {

    private static final Logger log = LoggerFactory.getLogger(BackOfficeSimulator.class);
    private static final byte[] HEALTH = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final DemoData data;
    private final FaultInjector faults;
    private final SimulatorStats stats;
    private final String host;
    private final int port;
    private final JsonMapper json = JsonMapper.builder().build();
    private @Nullable DisposableServer server;
    private @Nullable LoopResources loops;

    BackOfficeSimulator(DemoData data, FaultInjector faults, SimulatorStats stats, String host, int port) {
        this.data = data;
        this.faults = faults;
        this.stats = stats;
        this.host = host;
        this.port = port;
    }

    /** Binds the port; runs once at start-up, off any event loop. */
    public void start() {
        // Its own event loop, as a separate system would have: the gateway's load must not queue behind the back
        // office's answers on shared threads, or the simulator would measure the gateway's own congestion.
        loops = LoopResources.create("backoffice-sim", 1, true);
        server = HttpServer.create()
                .runOn(loops)
                .host(host)
                .port(port)
                .route(routes -> routes
                        .get("/health", (req, res) -> send(res, HttpResponseStatus.OK, JSON, HEALTH))
                        .get("/customers/{id}", (req, res) -> answer("customers", res,
                                () -> data.customer(req.param("id"))))
                        .get("/accounts/{id}", (req, res) -> answer("accounts", res,
                                () -> data.account(req.param("id"))))
                        .get("/customers/{id}/orders", this::orders)
                        .get("/customers/{id}/orders/{orderId}", (req, res) -> answer("order", res,
                                () -> data.order(req.param("id"), req.param("orderId"))))
                        .get("/shipments/{orderId}", (req, res) -> answer("shipments", res,
                                () -> data.shipment(req.param("orderId"))))
                        .get("/inventory/{sku}", (req, res) -> answer("inventory", res,
                                () -> data.stock(req.param("sku"))))
                        .route(req -> true, (req, res) -> problem(res, HttpResponseStatus.NOT_FOUND, "no such endpoint")))
                .bindNow(Duration.ofSeconds(10));
        log.info("Back-office simulator listening on {}", baseUrl());
    }

    public void stop() {
        DisposableServer running = server;
        server = null;
        if (running != null) {
            running.disposeNow(Duration.ofSeconds(5));
        }
        LoopResources ownLoops = loops;
        loops = null;
        if (ownLoops != null) {
            ownLoops.disposeLater().subscribe();
        }
    }

    public int port() {
        DisposableServer running = server;
        return running != null ? running.port() : port;
    }

    public String baseUrl() {
        return "http://" + host + ":" + port();
    }

    private Mono<Void> orders(HttpServerRequest req, HttpServerResponse res) {
        var query = new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).parameters();
        String after = query.containsKey("after") ? query.get("after").get(0) : null;
        int limit;
        try {
            limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit").get(0)) : 10;
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 50) {
            stats.count("orders");
            return problem(res, HttpResponseStatus.BAD_REQUEST, "limit must be between 1 and 50");
        }
        int size = limit;
        return answer("orders", res, () -> data.orders(req.param("id"), after, size));
    }

    /** Counts the call, applies the endpoint's fault, then answers with the data or 404. */
    private Mono<Void> answer(String endpoint, HttpServerResponse res, Supplier<Optional<?>> lookup) {
        stats.count(endpoint);
        FaultInjector.Fault fault = faults.faultFor(endpoint);
        Mono<Void> reply = Mono.defer(() -> {
            if (faults.shouldFail(endpoint, fault)) {
                return problem(res, HttpResponseStatus.SERVICE_UNAVAILABLE, "injected fault");
            }
            Optional<?> found = lookup.get();
            return found.isPresent()
                    ? send(res, HttpResponseStatus.OK, JSON, json.writeValueAsBytes(found.get()))
                    : problem(res, HttpResponseStatus.NOT_FOUND, "not found");
        });
        return fault.latencyMs() > 0 ? Mono.delay(Duration.ofMillis(fault.latencyMs())).then(reply) : reply;
    }

    private static Mono<Void> problem(HttpServerResponse res, HttpResponseStatus status, String detail) {
        String body = "{\"type\":\"about:blank\",\"title\":\"" + status.reasonPhrase() + "\",\"status\":"
                + status.code() + ",\"detail\":\"" + detail + "\"}";
        return send(res, status, PROBLEM_JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Mono<Void> send(HttpServerResponse res, HttpResponseStatus status, String type, byte[] body) {
        return res.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, type)
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                .sendObject(Unpooled.wrappedBuffer(body))
                .then();
    }
}
