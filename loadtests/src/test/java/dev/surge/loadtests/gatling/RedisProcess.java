package dev.surge.loadtests.gatling;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import redis.embedded.core.ExecutableProvider;

/**
 * A Redis server of the chaos run's own, from the binary in the {@code embedded-redis} artifact the gateway uses,
 * on a fixed loopback port, so the run can kill it by PID and start it again at the same address. Append-only file
 * with fsync on every write, as a production Redis holding queues is run: what Redis acknowledged survives the kill.
 */
final class RedisProcess {

    private final int port;
    private final Path dir;
    private final File executable;
    private @Nullable Process process;

    private RedisProcess(int port, Path dir, File executable) {
        this.port = port;
        this.dir = dir;
        this.executable = executable;
    }

    /** Starts a server on a free loopback port, its files in {@code dir} (emptied first). */
    static RedisProcess start(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
            }
            Files.createDirectories(dir);
            File executable = ExecutableProvider.newJarResourceProvider().get();
            RedisProcess redis = new RedisProcess(Gateway.freePort(), dir, executable);
            redis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::kill));
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("could not start Redis", e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        Process running = process;
        return running != null ? running.pid() : -1;
    }

    /** Starts the server and waits (bounded) until it accepts connections. */
    synchronized void start() {
        try {
            process = new ProcessBuilder(List.of(executable.getAbsolutePath(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--dir", dir.toAbsolutePath().toString(), "--save", "",
                    "--appendonly", "yes", "--appendfsync", "always", "--maxmemory", "512mb",
                    "--maxmemory-policy", "volatile-lru"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start Redis from " + executable, e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Gateway.pause(Duration.ofMillis(100));
            }
        }
        throw new IllegalStateException("Redis did not listen on " + port + " within 20 s");
    }

    /** SIGKILL by PID: a crash, no shutdown work. */
    synchronized void kill() {
        Process running = process;
        process = null;
        if (running != null) {
            ProcessHandle.of(running.pid()).ifPresent(ProcessHandle::destroyForcibly);
            try {
                running.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
