package dev.surge.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import tools.jackson.databind.json.JsonMapper;
import dev.surge.gateway.queue.Skill;
import dev.surge.gateway.queue.PendingEscalation;

/**
 * One spool directory, two instances (as after a pod's restart on its volume, or during a hand-over): whatever the
 * first left is replayed by the second, and never by both at once.
 */
class EscalationSpoolTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Path directory = tempDir();
    private final EscalationSpool first = new EscalationSpool(directory, JSON);
    private final EscalationSpool second = new EscalationSpool(directory, JSON);

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("surge-spool-unit");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() throws IOException {
        first.close();
        second.close();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    private static PendingEscalation pending(String id) {
        return new PendingEscalation(id, Skill.ORDERS, 1_000L, 1_000L, "surge:{esc}:idem:" + id, "f-" + id,
                Map.of("customerId", "c42", "status", "queued"));
    }

    private long spooledFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".jsonl")).count();
        }
    }

    @Test
    void whatAClosedInstanceLeftIsReplayedByTheNextExactlyOnce() throws IOException {
        first.append(pending("e1")).block(Duration.ofSeconds(5));
        first.append(pending("e2")).block(Duration.ofSeconds(5));
        first.close(); // shut down (or gone) with its lines unreplayed

        List<String> stored = new CopyOnWriteArrayList<>();
        assertThat(second.replay(p -> Mono.fromRunnable(() -> stored.add(p.id()))).block(Duration.ofSeconds(5)))
                .isEqualTo(2);
        assertThat(stored).containsExactly("e1", "e2");
        assertThat(spooledFiles()).isZero();
        assertThat(second.replay(p -> Mono.fromRunnable(() -> stored.add(p.id()))).block(Duration.ofSeconds(5)))
                .isZero();
        assertThat(stored).hasSize(2);
    }

    @Test
    void whileOneInstanceReplaysTheDirectoryTheOtherTakesNoFileAndWaitsItsTurn() throws IOException {
        first.append(pending("e1")).block(Duration.ofSeconds(5));
        Sinks.Empty<Void> redisAnswers = Sinks.empty();
        Sinks.Empty<Void> storing = Sinks.empty();
        Mono<Integer> replaying = first.replay(p -> {
            storing.tryEmitEmpty();
            return redisAnswers.asMono();
        }).cache();
        Disposable running = replaying.subscribe();
        try {
            storing.asMono().block(Duration.ofSeconds(5)); // the first is writing its line to Redis

            List<String> stored = new CopyOnWriteArrayList<>();
            assertThat(second.replay(p -> Mono.fromRunnable(() -> stored.add(p.id()))).block(Duration.ofSeconds(5)))
                    .as("the directory is being replayed: not this instance's turn").isZero();
            assertThat(stored).isEmpty();

            redisAnswers.tryEmitEmpty();
            assertThat(replaying.block(Duration.ofSeconds(5))).isEqualTo(1);
            assertThat(spooledFiles()).isZero();
            assertThat(second.replay(p -> Mono.fromRunnable(() -> stored.add(p.id()))).block(Duration.ofSeconds(5)))
                    .isZero();
            assertThat(stored).isEmpty();
        } finally {
            running.dispose();
        }
    }

    @Test
    void aReplayCancelledMidwayLetsGoOfEverythingItLockedAndKeepsTheFile() throws IOException {
        first.append(pending("e1")).block(Duration.ofSeconds(5));
        Sinks.Empty<Void> storing = Sinks.empty();
        Disposable running = first.replay(p -> {
            storing.tryEmitEmpty();
            return Mono.never(); // Redis never answers
        }).subscribe();
        storing.asMono().block(Duration.ofSeconds(5));
        running.dispose(); // as at shutdown: the scheduled replay is disposed mid-replay

        List<String> stored = new CopyOnWriteArrayList<>();
        // The locks are let go on the spool's thread just after the cancel: the next replay gets its turn.
        Integer replayed = reactor.core.publisher.Flux.interval(Duration.ofMillis(20)).onBackpressureDrop().take(100)
                .concatMap(tick -> second.replay(p -> Mono.fromRunnable(() -> stored.add(p.id()))))
                .filter(count -> count > 0)
                .blockFirst(Duration.ofSeconds(5));
        assertThat(replayed).isEqualTo(1);
        assertThat(stored).containsExactly("e1");
        assertThat(spooledFiles()).isZero();
    }
}
