package dev.surge.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/** The embedded server is a real Redis: it answers, stops, and comes back at the same address. */
class EmbeddedRedisTests {

    private static String ping(int port) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(2)).build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().ping();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void startsOnAFreePortStopsAndRestartsOnTheSamePort() {
        EmbeddedRedis redis = new EmbeddedRedis(0, 64L * 1024 * 1024);
        try {
            redis.start();
            int port = redis.port();
            assertThat(port).isPositive();
            assertThat(ping(port)).isEqualTo("PONG");

            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> ping(port)).isInstanceOf(Exception.class);

            redis.start();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(ping(port)).isEqualTo("PONG");
        } finally {
            redis.stop();
        }
    }

    @Test
    void twoInstancesRunSideBySide() {
        EmbeddedRedis a = new EmbeddedRedis(0, 64L * 1024 * 1024);
        EmbeddedRedis b = new EmbeddedRedis(0, 64L * 1024 * 1024);
        try {
            a.start();
            b.start();
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(ping(a.port())).isEqualTo("PONG");
            assertThat(ping(b.port())).isEqualTo("PONG");
        } finally {
            a.stop();
            b.stop();
        }
    }
}
