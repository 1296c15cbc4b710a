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

    /** The only policy under which memory pressure never costs a queued escalation or an Idempotency-Key. */
    public static final String STATE_POLICY = "noeviction";

    private final long maxMemoryBytes;
    private final String maxMemoryPolicy;
    private final String[] settings;
    private final boolean fixedPort;
    // Volatile so that readers (connection details, health) need no lock; start/stop are serialized by the monitor.
    private volatile int port;
    private volatile @Nullable RedisServer server;

    /** A state Redis ({@code noeviction}) on {@code port}, or on a free loopback port when {@code port} is 0. */
    public EmbeddedRedis(int port, long maxMemoryBytes) {
        this(port, maxMemoryBytes, STATE_POLICY);
    }

    /**
     * A server with the given {@code maxmemory-policy} ({@code allkeys-lru} for a cache of its own) and any further
     * {@code redis.conf} lines.
     */
    public EmbeddedRedis(int port, long maxMemoryBytes, String maxMemoryPolicy, String... settings) {
        this.fixedPort = port != 0;
        this.port = port;
        this.maxMemoryBytes = maxMemoryBytes;
        this.maxMemoryPolicy = maxMemoryPolicy;
        this.settings = settings.clone();
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
        var builder = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(candidate)
                // No snapshots and no AOF: the embedded server is for demos and tests, and must leave no files.
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("maxmemory " + maxMemoryBytes)
                // By default it holds the cache and the state together, so it must evict nothing: volatile-lru
                // would drop Idempotency-Keys and journeys (they have TTLs), allkeys-* the queue itself. Full, it
                // refuses writes: the cache fails open (counted), new escalations go to the spool.
                .setting("maxmemory-policy " + maxMemoryPolicy);
        for (String setting : settings) {
            builder.setting(setting);
        }
        return builder.onShutdownForceStop(true).build();
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
