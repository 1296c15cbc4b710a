package dev.surge.gateway.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Bounds the client connections open at once on the HTTP port: one instance shared by every connection, first in its
 * pipeline. A connection over the bound is closed the moment it is accepted, before a byte is read or a buffer, a
 * decoder or a timer is made for it.
 *
 * <p>Why closed rather than answered 503: a 503 has to wait for the request (answering before it arrives can reset
 * the connection under the client's feet, losing the answer), and waiting is exactly what a flood of half-sent
 * requests wants: the connection, its file and its buffers would be held for the header timeout again. A client
 * sees the connection closed with nothing sent, which HTTP clients and load balancers treat as a failed connection
 * (retried on another instance for idempotent requests). Ops see it in {@code surge.http.connections.refused}.
 *
 * <p>A connection let in is handed to {@code accepted} before anything else hears of it: every pipeline configurer has
 * run by then (they run when the channel is registered, this when it becomes active, before its first read), so
 * what {@code accepted} adds around the codec sits right beside it, whatever other features added.
 *
 * <p>Hand-written: neither Reactor Netty nor Boot bounds a server's connections (Netty only offers IP filters).
 */
@ChannelHandler.Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "surge.connectionLimit";

    private final int max;
    private final Consumer<Channel> accepted;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    ConnectionLimitHandler(int max, Consumer<Channel> accepted) {
        this.max = max;
        this.accepted = accepted;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.increment();
            ctx.close(); // the rest of the pipeline never hears of it
            return;
        }
        ctx.channel().closeFuture().addListener(closed -> open.decrementAndGet());
        accepted.accept(ctx.channel());
        ctx.fireChannelActive();
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    /** Connections refused since start. */
    long refused() {
        return refused.sum();
    }
}
