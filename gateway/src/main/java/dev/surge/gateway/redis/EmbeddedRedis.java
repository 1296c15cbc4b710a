package dev.surge.gateway.redis;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.surge.gateway.core.LoopbackPorts;
import redis.embedded.RedisServer;

/**
 * A real Redis server process, from the binary shipped in the {@code embedded-redis} artifact, bound to loopback.
 * Start and stop run at application start-up and shutdown (or from tests and chaos runs), never on an event loop:
 * they wait for the process.
 */
public final class EmbeddedRedis {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final int BIND_ATTEMPTS = 3;

    private final long maxMemoryBytes;
    private final boolean fixedPort;
    // Volatile so that readers (connection details, health) need no lock; start/stop are serialized by the monitor.
    private volatile int port;
    private volatile @Nullable RedisServer server;

    /** A server on {@code port}, or on a free loopback port when {@code port} is 0. */
    public EmbeddedRedis(int port, long maxMemoryBytes) {
        this.fixedPort = port != 0;
        this.port = port;
        this.maxMemoryBytes = maxMemoryBytes;
    }

    /** Starts the server; a free port that another process took in the meantime is retried with a new one. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        IOException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int candidate = port != 0 ? port : LoopbackPorts.freePort();
            try {
                RedisServer started = build(candidate);
                started.start();
                server = started;
                port = candidate;
                log.info("Embedded Redis listening on 127.0.0.1:{}", port);
                return;
            } catch (IOException e) {
                last = e;
                if (fixedPort) {
                    break;
                }
            }
        }
        throw new UncheckedIOException("could not start the embedded Redis server", last);
    }

    private RedisServer build(int candidate) throws IOException {
        return RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(candidate)
                // No snapshots and no AOF: the embedded server is for demos and tests, and must leave no files.
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("maxmemory " + maxMemoryBytes)
                // Only keys with a TTL (caches, leases, journeys) may be evicted; queues and spooled escalations
                // have none and must never vanish under memory pressure.
                .setting("maxmemory-policy volatile-lru")
                .onShutdownForceStop(true)
                .build();
    }

    /** Stops the server; its data is gone. The port is kept, so {@link #start()} brings it back at the same address. */
    public synchronized void stop() {
        RedisServer running = server;
        server = null;
        if (running != null) {
            try {
                running.stop();
            } catch (IOException e) {
                log.warn("Embedded Redis did not stop cleanly", e);
            }
        }
    }

    public boolean isRunning() {
        return server != null;
    }

    public int port() {
        return port;
    }
}
