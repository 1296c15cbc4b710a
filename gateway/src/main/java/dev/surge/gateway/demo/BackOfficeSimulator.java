package dev.surge.gateway.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.backoffice.BackOfficeProblem;
import dev.surge.gateway.backoffice.FieldError;

/**
 * The company's back office, played over real HTTP on its own Reactor Netty server (not the gateway's), so the
 * gateway's client, pool, timeouts and error mapping are exercised exactly as against a real one. The contract is
 * {@code docs/backoffice-api.md}. Reads and writes are answered by {@link DemoBackOffice}; this class routes, counts
 * ({@link SimulatorStats}) and injects faults ({@link FaultInjector}).
 */
public final class BackOfficeSimulator {

    private static final Logger log = LoggerFactory.getLogger(BackOfficeSimulator.class);
    private static final byte[] HEALTH = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    /** Largest write body accepted; larger ones get 413 (the contract's bodies are well under 4 KB). */
    static final int MAX_BODY = 16 * 1024;

    private final DemoData data;
    private final DemoBackOffice backOffice;
    private final FaultInjector faults;
    private final SimulatorStats stats;
    private final String host;
    private final int port;
    private final JsonMapper json = JsonMapper.builder().build();
    private @Nullable DisposableServer server;
    private @Nullable LoopResources loops;

    BackOfficeSimulator(DemoData data, DemoBackOffice backOffice, FaultInjector faults, SimulatorStats stats,
                        String host, int port) {
        this.data = data;
        this.backOffice = backOffice;
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
                        // Tried first for every request and never matches: notes the W3C traceparent it carries.
                        .route(req -> stats.sawTraceparent(req.method().name() + " " + req.fullPath(),
                                req.requestHeaders().get("traceparent")), (req, res) -> Mono.empty())
                        .get("/health", (req, res) -> send(res, HttpResponseStatus.OK, JSON, HEALTH))
                        .get("/customers/{id}", (req, res) -> answer("customers", res,
                                () -> data.customer(req.param("id"))))
                        .get("/accounts/{id}", (req, res) -> answer("accounts", res,
                                () -> data.account(req.param("id"))))
                        .get("/customers/{id}/orders", this::orders)
                        .get("/customers/{id}/orders/{orderId}", (req, res) -> answer("order", res,
                                () -> backOffice.order(req.param("id"), req.param("orderId"))))
                        .get("/customers/{id}/orders/{orderId}/eligibility", (req, res) -> read("eligibility", res,
                                () -> backOffice.eligibility(req.param("id"), req.param("orderId"))))
                        .post("/customers/{id}/orders/{orderId}/returns", (req, res) -> write("returns", req, res,
                                call -> backOffice.createReturn(req.param("id"), req.param("orderId"), call)))
                        .get("/customers/{id}/returns", (req, res) -> read("returns", res,
                                () -> backOffice.returns(req.param("id"))))
                        .get("/customers/{id}/returns/{rma}", (req, res) -> read("return", res,
                                () -> backOffice.returnAuthorization(req.param("id"), req.param("rma"))))
                        .post("/customers/{id}/orders/{orderId}/cancellation", (req, res) -> write("cancellation",
                                req, res, call -> backOffice.cancel(req.param("id"), req.param("orderId"), call)))
                        .put("/customers/{id}/orders/{orderId}/delivery-address", (req, res) -> write("address",
                                req, res, call -> backOffice.changeAddress(req.param("id"), req.param("orderId"),
                                        call)))
                        .get("/customers/{id}/preferences", (req, res) -> read("preferences", res,
                                () -> backOffice.preferences(req.param("id"))))
                        .put("/customers/{id}/preferences", (req, res) -> write("preferences", req, res,
                                call -> backOffice.replacePreferences(req.param("id"), call)))
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
        return answer("orders", res, () -> backOffice.orders(req.param("id"), after, size));
    }

    /** Counts the call, applies the endpoint's fault, then answers with the data or 404. */
    private Mono<Void> answer(String endpoint, HttpServerResponse res, Supplier<Optional<?>> lookup) {
        stats.count(endpoint);
        String key = faults.keyFor(endpoint, "GET");
        FaultInjector.Fault fault = faults.faultFor(key);
        Mono<Void> reply = Mono.defer(() -> {
            if (faults.shouldFail(key, fault)) {
                return problem(res, HttpResponseStatus.SERVICE_UNAVAILABLE, "injected fault");
            }
            Optional<?> found = lookup.get();
            return found.isPresent()
                    ? send(res, HttpResponseStatus.OK, JSON, json.writeValueAsBytes(found.get()))
                    : problem(res, HttpResponseStatus.NOT_FOUND, "not found");
        });
        return fault.latencyMs() > 0 ? Mono.delay(Duration.ofMillis(fault.latencyMs())).then(reply) : reply;
    }

    /** A read of the write side (eligibility, returns, preferences): counted, faulted, then answered as is. */
    private Mono<Void> read(String endpoint, HttpServerResponse res, Supplier<Answer> answer) {
        stats.count(endpoint);
        String key = faults.keyFor(endpoint, "GET");
        FaultInjector.Fault fault = faults.faultFor(key);
        Mono<Void> reply = Mono.defer(() -> faults.shouldFail(key, fault)
                ? problem(res, HttpResponseStatus.SERVICE_UNAVAILABLE, "injected fault")
                : send(res, answer.get()));
        return fault.latencyMs() > 0 ? Mono.delay(Duration.ofMillis(fault.latencyMs())).then(reply) : reply;
    }

    /**
     * A write: counted by method, its body read (at most {@link #MAX_BODY}), then faulted and made. A fault before
     * (the default) answers 503 with nothing made; one {@code afterApply} makes the write, then delays or loses the
     * answer (502). Either way the outcome is counted.
     */
    private Mono<Void> write(String endpoint, HttpServerRequest req, HttpServerResponse res,
                             Function<WriteCall, DemoBackOffice.Result> action) {
        String method = req.method().name();
        stats.count(endpoint, method);
        String key = faults.keyFor(endpoint, method);
        FaultInjector.Fault fault = faults.faultFor(key);
        Duration latency = Duration.ofMillis(fault.latencyMs());
        return body(req).flatMap(bytes -> {
            JsonNode body;
            try {
                body = json.readTree(bytes);
            } catch (JacksonException e) {
                return send(res, SimulatorProblems.problem(400, BackOfficeProblem.INVALID_REQUEST, "Bad Request",
                        "The body is not JSON.", List.of(new FieldError("", "The body must be a JSON object.")),
                        null));
            }
            WriteCall call = new WriteCall(method, req.fullPath(), req.requestHeaders().get(BackOfficeClient
                    .IDEMPOTENCY_KEY), req.requestHeaders().get(HttpHeaderNames.IF_MATCH), body);
            if (fault.afterApply()) {
                Answer made = made(endpoint, action.apply(call));
                Mono<Void> reply = Mono.defer(() -> faults.shouldFail(key, fault)
                        ? problem(res, HttpResponseStatus.BAD_GATEWAY, "injected fault after the write was made")
                        : send(res, made));
                return latency.isZero() ? reply : Mono.delay(latency).then(reply);
            }
            Mono<Void> reply = Mono.defer(() -> faults.shouldFail(key, fault)
                    ? problem(res, HttpResponseStatus.SERVICE_UNAVAILABLE, "injected fault")
                    : send(res, made(endpoint, action.apply(call))));
            return latency.isZero() ? reply : Mono.delay(latency).then(reply);
        }).onErrorResume(BodyTooLarge.class, e -> problem(res, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "body over " + MAX_BODY + " bytes"));
    }

    private Answer made(String endpoint, DemoBackOffice.Result result) {
        if (result.outcome() != null) {
            stats.wrote(endpoint, result.outcome());
        }
        return result.answer();
    }

    /** The request body, refused past {@link #MAX_BODY} while it arrives (a declared length is checked first). */
    private static Mono<byte[]> body(HttpServerRequest req) {
        long declared = req.requestHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (declared > MAX_BODY || req.requestHeaders().contains(HttpHeaderNames.CONTENT_LENGTH)
                && req.requestHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH) == null) {
            return Mono.error(new BodyTooLarge()); // over the limit, or too long to be a number at all
        }
        return req.receive().asByteArray()
                .reduce(new byte[0], (sofar, chunk) -> {
                    if (sofar.length + chunk.length > MAX_BODY) {
                        throw new BodyTooLarge();
                    }
                    byte[] joined = Arrays.copyOf(sofar, sofar.length + chunk.length);
                    System.arraycopy(chunk, 0, joined, sofar.length, chunk.length);
                    return joined;
                });
    }

    private static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super(null, null, false, false);
        }
    }

    private static Mono<Void> send(HttpServerResponse res, Answer answer) {
        answer.headers().forEach(res::header);
        return send(res, HttpResponseStatus.valueOf(answer.status()), answer.isProblem() ? PROBLEM_JSON : JSON,
                answer.body());
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
