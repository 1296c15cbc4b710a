package dev.surge.gateway.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds free TCP ports on the loopback interface for the servers Surge embeds (Redis, the back-office simulator), so
 * that several gateway instances run side by side on one machine.
 */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /**
     * A port that was free a moment ago. Another process may take it before the caller binds it; callers that start
     * a server retry with a new port when the bind fails.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
