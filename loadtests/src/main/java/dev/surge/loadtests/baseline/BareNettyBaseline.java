package dev.surge.loadtests.baseline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A bare Reactor Netty server answering {@code GET /api/v1/me/orders/{orderId}} with one fixed order of about 1 KB,
 * with the headers the gateway sends (content type, ETag, Cache-Control). No Spring, no security, no back office:
 * what a JVM on this machine can do at best for this request, so Surge's figures are ratios to it.
 */
public final class BareNettyBaseline {

    /** A typical order as the gateway returns it (about 900 bytes): four lines, five status changes, an address. */
    static final String ORDER_JSON = """
            {"id":"O153808545331","customerId":"c42","placedAt":"2026-10-24T06:00:00Z","status":"delivered",\
            "total":822.86,"currency":"EUR","lines":[\
            {"sku":"SKU-03456","description":"Noise-cancelling headphones","quantity":2,"unitPrice":285.27},\
            {"sku":"SKU-01823","description":"Backpack 30 l","quantity":2,"unitPrice":31.83},\
            {"sku":"SKU-03181","description":"Rain jacket","quantity":2,"unitPrice":38.75},\
            {"sku":"SKU-04055","description":"Desk lamp","quantity":2,"unitPrice":55.58}],\
            "history":[{"status":"placed","at":"2026-10-24T06:00:00Z"},{"status":"paid","at":"2026-10-24T12:00:00Z"},\
            {"status":"packed","at":"2026-10-24T15:00:00Z"},{"status":"shipped","at":"2026-10-24T20:00:00Z"},\
            {"status":"delivered","at":"2026-10-28T17:00:00Z"}],\
            "deliveryAddress":{"name":"Quinn Fischer","street":"Hauptstrasse 192","postalCode":"10115",\
            "city":"Berlin","country":"DE"},"paymentMethod":"Mastercard ending 8350"}""";

    static final byte[] BODY = ORDER_JSON.getBytes(StandardCharsets.UTF_8);
    static final String ETAG = "\"5f2b9c0e41d7a3b8\"";
    static final String PATH_PREFIX = "/api/v1/me/orders/";

    private BareNettyBaseline() {
    }

    /** Starts the baseline on 127.0.0.1:{@code port} (0 for a free port). */
    public static DisposableServer start(int port) {
        ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(BODY));
        String length = Integer.toString(BODY.length);
        return HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes
                        .get(PATH_PREFIX + "{orderId}", (req, res) -> res
                                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .header(HttpHeaderNames.CONTENT_LENGTH, length)
                                .header(HttpHeaderNames.ETAG, ETAG)
                                .header(HttpHeaderNames.CACHE_CONTROL, "no-cache, private")
                                .sendObject(body.duplicate())
                                .then())
                        .route(req -> true, (req, res) -> res.status(HttpResponseStatus.NOT_FOUND).send()))
                .bindNow(Duration.ofSeconds(10));
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        DisposableServer server = start(port);
        System.out.println("Bare Reactor Netty baseline listening on 127.0.0.1:" + server.port());
        server.onDispose().block(); // main thread parks until the process is stopped
    }
}
