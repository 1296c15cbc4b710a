package dev.surge.gateway.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import redis.embedded.Redis;
import redis.embedded.RedisShardedCluster;
import redis.embedded.core.RedisServerBuilder;

import dev.surge.gateway.core.LoopbackPorts;

/**
 * A real Redis Cluster of three masters and no replicas on loopback (embedded-redis's {@link RedisShardedCluster}):
 * each master owns a third of the slots, so keys of different hash tags land on different processes, and stopping
 * one master makes its slots, and only those, unavailable until it is started again (no replica to promote: a
 * failover would add Redis's own node timeout, seconds, to every test, and says nothing about the gateway that the
 * master coming back does not).
 *
 * <p>Every node runs with {@code cluster-require-full-coverage no}, as docs/architecture.md advises for production:
 * with the default ({@code yes}) the surviving masters refuse every command once they notice a slot range is gone,
 * and one shard's outage becomes the whole Redis's.
 */
public final class RedisTestCluster {

    private static final int MASTERS = 3;

    private final RedisShardedCluster cluster;
    private final List<Integer> ports;
    private final List<int[]> slots;

    private RedisTestCluster(RedisShardedCluster cluster, List<Integer> ports) {
        this.cluster = cluster;
        this.ports = ports;
        this.slots = slots(ports.get(0));
    }

    /**
     * A free port whose cluster bus port (Redis uses the port + 10000) exists and is free too: a node on a port above
     * 55535 exits at once (its bus port is out of range), and the kernel hands out ports up to 60999.
     */
    private static int clusterPort() {
        for (int tries = 0; tries < 100; tries++) {
            int port = LoopbackPorts.freePort();
            if (port + 10_000 <= 65_535 && isFree(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port with a free cluster bus port in 100 tries");
    }

    private static boolean isFree(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** Starts the three masters on free loopback ports and waits until the cluster answers. */
    public static RedisTestCluster start() {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port another process took meanwhile: new ports
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < MASTERS; i++) {
                ports.add(clusterPort());
            }
            try {
                RedisServerBuilder servers = new RedisServerBuilder()
                        .bind("127.0.0.1")
                        // Test data only: no snapshot, so a master started again comes back empty, as after a crash.
                        .setting("save \"\"")
                        .setting("maxmemory 64mb")
                        .setting("maxmemory-policy volatile-lru")
                        .setting("cluster-require-full-coverage no")
                        .onShutdownForceStop(true);
                // serverPorts before the shards: each shard takes its port from the list when it is declared.
                RedisShardedCluster cluster = RedisShardedCluster.newRedisCluster()
                        .withServerBuilder(servers)
                        .serverPorts(ports)
                        .shard("a", 0).shard("b", 0).shard("c", 0)
                        .initializationTimeout(Duration.ofSeconds(20))
                        .build();
                try {
                    cluster.start();
                    return new RedisTestCluster(cluster, ports);
                } catch (IOException | RuntimeException e) {
                    cluster.stop();
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                last = e instanceof IOException io ? io : new IOException(e);
            }
        }
        throw new UncheckedIOException("could not start the Redis test cluster", last);
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}, for {@code spring.data.redis.cluster.nodes}. */
    public String nodes() {
        return ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** The master that owns the slot of {@code key} (its hash tag, if it has one). */
    public Redis masterOf(String key) {
        int port = portOf(key);
        for (Redis server : cluster.servers()) {
            if (server.ports().get(0) == port) {
                return server;
            }
        }
        throw new IllegalStateException("no server on port " + port);
    }

    /**
     * The port of the master that owns the slot of {@code key}, from the slot map the cluster answered (CLUSTER
     * SLOTS) when it started; it never changes here, as no replica can take a slot over.
     */
    public int portOf(String key) {
        int slot = SlotHash.getSlot(key);
        for (int[] range : slots) {
            if (range[0] <= slot && slot <= range[1]) {
                return range[2];
            }
        }
        throw new IllegalStateException("no master owns slot " + slot);
    }

    private static List<int[]> slots(int port) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(5)).build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<int[]> slots = new ArrayList<>();
            for (Object range : connection.sync().clusterSlots()) {
                List<?> fields = (List<?>) range;
                slots.add(new int[] {((Number) fields.get(0)).intValue(), ((Number) fields.get(1)).intValue(),
                        ((Number) ((List<?>) fields.get(2)).get(1)).intValue()});
            }
            return List.copyOf(slots);
        } finally {
            client.shutdown();
        }
    }

    /** Stops one master process; its slots are unavailable until {@link #startAgain}. */
    public static void kill(Redis master) {
        try {
            master.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a stopped master again at the same address: it reads its node id and slots back from its cluster
     * config file and rejoins, empty (no snapshot).
     */
    public static void startAgain(Redis master) {
        try {
            master.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stop() {
        try {
            cluster.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
