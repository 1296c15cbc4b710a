package dev.surge.gateway.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Guards the head of every request on an HTTP/1.1 connection: it must arrive whole within the header timeout of its
 * first byte (else the connection is closed: slowloris), and a head the codec could not decode (over
 * {@code server.max-http-request-header-size} or {@code server.netty.max-initial-line-length}, or malformed) is
 * answered with a problem+json (431, 414 or 400) and the connection closed. Reactor Netty answers those with an empty
 * body of its own, and none of its timeouts covers the head: its idle timeout is reset by every byte, so a client
 * sending one byte a second is never idle, and its read and request timeouts start once the head is in.
 *
 * <p>Per connection it adds two handlers that share one state: one before the codec sees bytes arrive, one after it
 * sees heads and whole requests decoded. The deadline starts with the first byte read while a head is awaited and
 * ends when the head is decoded; bytes read while a request's body is still coming belong to that request.
 *
 * <p>One more head is refused below WebFlux: a request target the codec decoded but of which Spring's Reactor adapter
 * cannot make a URI ({@code /a"b}, {@code /%zz}). The adapter answers it 400 with an empty body before any exception
 * handler runs; the handler after the codec, on the way out, gives that answer the problem+json body every other
 * error has. Found by fuzzing (GatewayFuzzIntegrationTests).
 */
final class RequestHeadGuard {

    static final String BYTES = "surge.requestHead.bytes";
    static final String HEADS = "surge.requestHead.heads";

    private final long timeoutNanos;
    private final Supplier<ProblemResponses> problems;
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    RequestHeadGuard(Duration timeout, Supplier<ProblemResponses> problems) {
        this.timeoutNanos = timeout.toNanos();
        this.problems = problems;
    }

    /** Adds the connection's two handlers around the HTTP codec named {@code codec}. */
    void install(ChannelPipeline pipeline, String codec) {
        Connection connection = new Connection();
        pipeline.addBefore(codec, BYTES, connection.bytes);
        pipeline.addAfter(codec, HEADS, connection.heads);
    }

    /** Connections closed because a head did not arrive in time, since start. */
    long timeouts() {
        return timeouts.sum();
    }

    /** Heads answered 431, 414 or 400 here, since start. */
    long rejected() {
        return rejected.sum();
    }

    /** One connection's state; touched only on its event loop. */
    private final class Connection {
        private boolean awaitingHead = true;
        private @Nullable ScheduledFuture<?> deadline;

        final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (awaitingHead && deadline == null && msg instanceof ByteBuf) {
                    deadline = ctx.executor().schedule(() -> {
                        timeouts.increment();
                        ctx.close();
                    }, timeoutNanos, TimeUnit.NANOSECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };

        /** Whether the latest request is a HEAD, whose answer never has a body. */
        private boolean head;

        final ChannelDuplexHandler heads = new ChannelDuplexHandler() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof FullHttpResponse response && !head && unexplainedBadRequest(response)) {
                    rejected.increment();
                    ctx.write(withProblem(response), promise);
                    return;
                }
                ctx.write(msg, promise);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest request) {
                    head = HttpMethod.HEAD.equals(request.method());
                    awaitingHead = false;
                    cancel();
                    if (request.decoderResult().isFailure()) {
                        reject(ctx, request);
                        return;
                    }
                }
                if (msg instanceof LastHttpContent) {
                    awaitingHead = true; // what comes next is the next request's head
                }
                ctx.fireChannelRead(msg);
            }
        };

        private void cancel() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }
    }

    private void reject(ChannelHandlerContext ctx, HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        ProblemDetail problem;
        String instance = null;
        if (cause instanceof TooLongHttpHeaderException) {
            problem = ProblemResponses.problem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "header-too-large",
                    "Request Header Fields Too Large", "The request's headers are larger than this API accepts.");
            instance = path(request.uri()); // the request line was read whole
        } else if (cause instanceof TooLongHttpLineException) {
            problem = ProblemResponses.problem(HttpStatus.URI_TOO_LONG, "uri-too-long", "URI Too Long",
                    "The request line is longer than this API accepts.");
        } else {
            problem = ProblemResponses.problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad Request",
                    "The request could not be read as HTTP/1.1.");
        }
        ReferenceCountUtil.release(request);
        rejected.increment();
        byte[] body = problems.get().encode(problem, instance);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(problem.getStatus()), Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // The codec drops whatever follows a head it could not decode: the connection has nothing more to say.
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** A 400 with no body and no type: only ever the Reactor adapter's answer to a target that is not a URI. */
    private static boolean unexplainedBadRequest(FullHttpResponse response) {
        return response.status().code() == 400 && !response.content().isReadable()
                && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE);
    }

    private FullHttpResponse withProblem(FullHttpResponse empty) {
        byte[] body = problems.get().encode(ProblemResponses.problem(HttpStatus.BAD_REQUEST, "bad-request",
                "Bad Request", "The request target is not a valid URI."), null);
        FullHttpResponse response = empty.replace(Unpooled.wrappedBuffer(body));
        empty.release();
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    /** The path of an origin-form request target, or null for any other form. */
    private static @Nullable String path(String target) {
        if (target.isEmpty() || target.charAt(0) != '/') {
            return null;
        }
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }
}
