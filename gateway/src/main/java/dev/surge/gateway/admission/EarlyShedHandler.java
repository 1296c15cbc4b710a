package dev.surge.gateway.admission;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers the requests {@link EarlyShed} sheds right behind Netty's HTTP codec, before Reactor Netty and WebFlux
 * see them; every other request passes through untouched. One per connection (it keeps that connection's state), on
 * its event loop, so no field needs synchronizing.
 *
 * <p>Written by hand because nothing above the codec can answer without first building the exchange this saves.
 * HTTP/1.1 rules it keeps: responses go out in request order, so it sheds only while no earlier request of the
 * connection is still being answered (a pipelining client's later requests go on to the filter); the body of a shed
 * request is read and dropped, so the connection stays usable; {@code Connection: close} and HTTP/1.0 without
 * keep-alive are honoured. A HEAD request, one expecting {@code 100-continue} and one the codec could not decode go on
 * untouched, for WebFlux to answer as it does.
 */
final class EarlyShedHandler extends ChannelDuplexHandler {

    static final String NAME = "surge.earlyShed";

    private final EarlyShed gate;
    /** Requests passed on whose response has not been written in full yet. */
    private int answering;
    /** Dropping the rest of a shed request's body, up to its last content. */
    private boolean dropping;

    EarlyShedHandler(EarlyShed gate) {
        this.gate = gate;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (dropping && msg instanceof HttpContent && !(msg instanceof HttpRequest)) {
            dropping = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            readOn(ctx);
            return;
        }
        if (msg instanceof HttpRequest request) {
            dropping = false;
            byte[] body = answering == 0 ? shedBody(request) : null;
            if (body != null) {
                dropping = !(msg instanceof LastHttpContent);
                ReferenceCountUtil.release(msg);
                respond(ctx, request, body);
                readOn(ctx);
                return;
            }
            answering++;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent && answering > 0 && !interim(msg)) {
            answering--;
        }
        ctx.write(msg, promise);
    }

    /**
     * Asks for the connection's next bytes. Reactor Netty reads a server connection on demand (auto-read off), asking
     * again once it has handled a request; for a request it never sees, this handler has to.
     */
    private static void readOn(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    /** A 1xx response (100 Continue) is not the answer to its request: another follows. */
    private static boolean interim(Object msg) {
        return msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    private byte @Nullable [] shedBody(HttpRequest request) {
        HttpMethod method = request.method();
        if (!request.decoderResult().isSuccess() || method == HttpMethod.HEAD
                || HttpUtil.is100ContinueExpected(request)) {
            return null;
        }
        HttpHeaders headers = request.headers();
        return gate.shed(method.name(), request.uri(),
                headers.get(HttpHeaderNames.AUTHORIZATION), headers.contains(WaitingRoom.TICKET_HEADER));
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.RETRY_AFTER, gate.retryAfter());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
