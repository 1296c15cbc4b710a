package dev.surge.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.SurgeApplication;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.redis.EmbeddedRedis;
import tools.jackson.databind.json.JsonMapper;

/**
 * The spool survives its pod: instances share a Redis the test runs and a spool directory (a pod's persistent
 * volume). An escalation accepted while Redis is away and not replayed before its instance is gone is replayed by
 * the next instance started on the directory, exactly once; and an instance shut down after Redis came back drains
 * its spool on the way out.
 */
class SpoolHandOverIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EmbeddedRedis redis = new EmbeddedRedis(0, 64L * 1024 * 1024);
    private final Path spool = tempDir();
    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private LettuceConnectionFactory ownConnection;

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("surge-spool-handover");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() throws IOException {
        instances.forEach(ConfigurableApplicationContext::close);
        if (ownConnection != null) {
            ownConnection.destroy();
        }
        redis.stop();
        try (Stream<Path> files = Files.list(spool)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(spool);
    }

    /** An instance on the shared Redis and spool directory, on a random port, replaying every {@code interval}. */
    private ConfigurableApplicationContext instance(String replayInterval) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SurgeApplication.class).run(
                "--server.port=0",
                "--spring.data.redis.url=redis://127.0.0.1:" + redis.port(),
                // The instance connects once while starting: on a machine busy with other builds, 500 ms is short.
                "--spring.data.redis.connect-timeout=5s", "--spring.data.redis.timeout=5s",
                "--surge.escalation.spool-dir=" + spool,
                "--surge.escalation.spool-replay-interval=" + replayInterval);
        instances.add(context);
        return context;
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(10)).build();
    }

    private long spooledLines() throws IOException {
        long lines = 0;
        try (Stream<Path> files = Files.list(spool)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                lines += Files.readAllLines(file).stream().filter(line -> !line.isBlank()).count();
            }
        }
        return lines;
    }

    /** Redis as the test sees it, through a connection of its own. */
    private ReactiveStringRedisTemplate ownRedis() {
        if (ownConnection == null) {
            ownConnection = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
            ownConnection.afterPropertiesSet();
            ownConnection.start();
        }
        return new ReactiveStringRedisTemplate(ownConnection);
    }

    /** Accepts an escalation on the instance with Redis stopped: 202, and one line in the spool. */
    private String escalateWhileRedisIsAway(WebTestClient client, String token) throws IOException {
        EscalationClient escalations = new EscalationClient(client, null); // posts only: no Redis of its own here
        redis.stop();
        byte[] accepted = escalations.post(token, UUID.randomUUID().toString(), EscalationClient.web("delivery"))
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.status").isEqualTo("queued").jsonPath("$.position").doesNotExist()
                .returnResult().getResponseBody();
        assertThat(spooledLines()).isEqualTo(1);
        return JSON.readTree(accepted).get("id").asString();
    }

    /** Waits (bounded) until the client gets answers from Redis. */
    private static void awaitRedis(ReactiveStringRedisTemplate client) {
        // On a thread that may block: a client's first command connects it, synchronously.
        Boolean up = Flux.interval(Duration.ofMillis(100), Schedulers.boundedElastic()).onBackpressureDrop().take(300)
                .concatMap(tick -> client.hasKey("surge:probe").timeout(Duration.ofSeconds(5))
                        .map(answered -> true).onErrorResume(e -> Mono.just(false)))
                .filter(answered -> answered)
                .blockFirst(Duration.ofSeconds(60));
        assertThat(up).as("Redis answers").isTrue();
    }

    @Test
    void anEscalationSpooledByAnInstanceThatIsGoneIsReplayedByTheNextOnTheSameVolumeExactlyOnce() throws IOException {
        redis.start();
        ConfigurableApplicationContext first = instance("5m");
        WebTestClient firstClient = client(first);
        String token = TestTokens.customer(firstClient, "c9101");
        String id = escalateWhileRedisIsAway(firstClient, token);

        first.close(); // the pod is deleted before Redis returns; its drain finds Redis away and leaves the file
        assertThat(spooledLines()).as("left on the volume").isEqualTo(1);

        redis.start(); // an empty Redis: nothing of the escalation was ever stored
        awaitRedis(ownRedis()); // the instance connects once at start and gives up quickly on a busy machine
        ConfigurableApplicationContext second = instance("200ms");
        WebTestClient secondClient = client(second);
        EscalationClient escalations = new EscalationClient(secondClient, ownRedis());
        Long queued = Flux.interval(Duration.ofMillis(100), Schedulers.boundedElastic()).onBackpressureDrop().take(200)
                .map(tick -> escalations.countFor("c9101"))
                .filter(count -> count > 0)
                .blockFirst(Duration.ofSeconds(30));
        assertThat(queued).isEqualTo(1);
        assertThat(spooledLines()).isZero();

        assertThat(escalations.get(token, id)).containsEntry("status", "queued").containsEntry("position", 1);
        Map<String, Object> offered = escalations.claim(TestTokens.agent(secondClient, "a-handover",
                List.of("orders")));
        assertThat(offered).containsEntry("id", id);
        assertThat(escalations.countFor("c9101")).isEqualTo(1);
        assertThat(second.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .counter("surge.escalation.spool.replays").count()).isEqualTo(1);
    }

    @Test
    void anInstanceShutDownAfterRedisCameBackDrainsItsSpoolOnTheWayOut() throws IOException {
        redis.start();
        ConfigurableApplicationContext only = instance("5m"); // no scheduled replay before the shutdown
        WebTestClient client = client(only);
        String token = TestTokens.customer(client, "c9102");
        String id = escalateWhileRedisIsAway(client, token);
        redis.start();
        awaitRedis(only.getBean(ReactiveStringRedisTemplate.class)); // until its client has reconnected
        assertThat(new EscalationClient(client, ownRedis()).countFor("c9102")).isZero();

        only.close();

        assertThat(spooledLines()).as("nothing left for a successor").isZero();
        assertThat(new EscalationClient(client, ownRedis()).countFor("c9102")).isEqualTo(1);
        assertThat(ownRedis().hasKey("surge:{esc}:e:" + id).block(Duration.ofSeconds(5))).isTrue();
    }
}
