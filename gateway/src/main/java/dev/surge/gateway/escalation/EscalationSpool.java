package dev.surge.gateway.escalation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import tools.jackson.databind.json.JsonMapper;
import dev.surge.gateway.queue.PendingEscalation;

/**
 * The local append-only spool for escalations accepted while Redis could not be reached: one JSON line per
 * escalation, forced to disk before the customer gets their 202. Each instance appends to its own file, holding an
 * exclusive lock on it while it is current; the replay takes every other file in the directory that it can lock
 * (this instance's earlier files, and those of instances that are gone), writes each line to Redis, and deletes the
 * file only when every line is in. A replay cut short is simply repeated: the write is idempotent.
 *
 * <p>The directory outlives the instance (a pod's persistent volume, docs/escalation.md): an instance started on a
 * directory an earlier one left (crashed, killed, or shut down with Redis away) replays its files at its first
 * replay. One replay at a time per directory, across processes: a replay holds the lock of {@value #REPLAY_LOCK} in
 * the directory from listing the files to deleting them, and skips its turn when another holds it. Without it, a
 * second replayer could open a file the first is about to delete and read it again (harmless, the write being
 * idempotent, but twice the work), or find it gone mid-listing and lose its turn.
 *
 * <p>All file work runs on one dedicated thread (a bounded-elastic scheduler of size one, where blocking is allowed),
 * never on an event loop, and that single thread also orders appends and rotations without locks.
 */
final class EscalationSpool {

    private static final Logger log = LoggerFactory.getLogger(EscalationSpool.class);
    private static final String SUFFIX = ".jsonl";
    /** Held by whichever process replays the directory; never deleted (deleting a lock file races its takers). */
    static final String REPLAY_LOCK = ".replay.lock";

    private final Path directory;
    private final JsonMapper json;
    private final Scheduler io = Schedulers.newBoundedElastic(1, 100_000, "surge-spool");
    private final String instance = UUID.randomUUID().toString();
    private int sequence;
    private @Nullable Current current;

    EscalationSpool(Path directory, JsonMapper json) {
        this.directory = directory;
        this.json = json;
    }

    private record Current(Path path, FileChannel channel, FileLock lock) {
    }

    /** A spool file this instance locked for replay. */
    private record Claimed(Path path, FileChannel channel, FileLock lock, List<PendingEscalation> records) {
    }

    /** Appends the escalation and forces it to disk; completes only once it is durable. */
    Mono<Void> append(PendingEscalation pending) {
        byte[] line = (json.writeValueAsString(pending) + "\n").getBytes(StandardCharsets.UTF_8);
        return Mono.fromCallable(() -> {
            Current file = current != null ? current : open();
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                file.channel().write(buffer);
            }
            file.channel().force(false);
            return line.length;
        }).subscribeOn(io).then();
    }

    private Current open() throws IOException {
        Files.createDirectories(directory);
        Path path = directory.resolve(instance + "-" + (++sequence) + SUFFIX);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        current = new Current(path, channel, channel.lock());
        return current;
    }

    /**
     * Replays every spool file it can lock through {@code store}, deleting each once all its lines are stored.
     * Answers how many escalations were replayed.
     */
    Mono<Integer> replay(Function<PendingEscalation, Mono<Void>> store) {
        // usingWhen: the locks are let go however the replay ends, cancelled included (the scheduled replay is
        // disposed at shutdown, possibly mid-replay, and the drain that follows must find the directory free).
        return Mono.usingWhen(Mono.fromCallable(this::lockDirectory).subscribeOn(io),
                lock -> lock.isPresent() ? replayFiles(store) : Mono.just(0),
                lock -> Mono.fromRunnable(() -> lock.ifPresent(EscalationSpool::release)).subscribeOn(io));
    }

    private Mono<Integer> replayFiles(Function<PendingEscalation, Mono<Void>> store) {
        return Mono.usingWhen(Mono.fromCallable(this::claimAll).subscribeOn(io),
                files -> Flux.fromIterable(files)
                        .concatMap(file -> Flux.fromIterable(file.records())
                                .concatMap(store)
                                .then(Mono.fromCallable(() -> {
                                    Files.delete(file.path());
                                    close(file.channel());
                                    return file.records().size();
                                }).subscribeOn(io))
                                .onErrorResume(e -> Mono.fromCallable(() -> {
                                    close(file.channel()); // keep the file for the next replay
                                    return 0;
                                }).subscribeOn(io)))
                        .reduce(0, Integer::sum),
                files -> Mono.fromRunnable(() -> files.forEach(file -> release(file.channel()))).subscribeOn(io));
    }

    /** This process's hold on the directory's replay lock, or empty when another replay holds it. */
    private java.util.Optional<FileChannel> lockDirectory() throws IOException {
        Files.createDirectories(directory);
        FileChannel channel = FileChannel.open(directory.resolve(REPLAY_LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // another spool in this very JVM replays it (tests run several instances in one)
        }
        if (lock == null) {
            channel.close();
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(channel);
    }

    /** Closes a channel (letting go of its lock) whatever state it is in; closing twice does nothing. */
    private static void release(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("spool file did not close cleanly: {}", e.toString());
        }
    }

    /** Closes the current file (so it can be replayed) and locks every file no live writer holds. */
    private List<Claimed> claimAll() throws IOException {
        Current file = current;
        if (file != null && file.channel().size() > 0) {
            close(file.channel());
            current = null;
        }
        List<Claimed> claimed = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return claimed;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path path : files) {
                if (current != null && path.equals(current.path())) {
                    continue;
                }
                Claimed locked = claim(path);
                if (locked != null) {
                    claimed.add(locked);
                }
            }
        } catch (IOException | RuntimeException e) {
            claimed.forEach(taken -> release(taken.channel())); // nothing is replayed this turn: let them go
            throw e;
        }
        return claimed;
    }

    private @Nullable Claimed claim(Path path) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (java.nio.file.NoSuchFileException gone) {
            return null; // replayed and deleted since it was listed (by a process without the replay lock)
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another spool in this very JVM (tests run several instances in one)
        }
        if (lock == null) {
            channel.close();
            return null;
        }
        List<PendingEscalation> records = new ArrayList<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(json.readValue(line, PendingEscalation.class));
            } catch (RuntimeException e) {
                // Only the last line can be torn (a crash mid-write, before its 202 was sent): nothing was promised.
                log.warn("skipping an unreadable spool line in {}", path.getFileName());
            }
        }
        return new Claimed(path, channel, lock, records);
    }

    private static void close(FileChannel channel) throws IOException {
        channel.close(); // releases its lock too
    }

    /**
     * Closes the current file; its content stays for the next start (or another instance) to replay. Called by the
     * context on shutdown, from the closing thread (never an event loop), which waits for the spool thread so the
     * file is closed before the process exits.
     */
    void close() {
        if (io.isDisposed()) {
            return; // closed before
        }
        Mono.fromRunnable(() -> {
            Current file = current;
            current = null;
            if (file != null) {
                try {
                    close(file.channel());
                } catch (IOException e) {
                    log.warn("spool file did not close cleanly: {}", e.toString());
                }
            }
        }).subscribeOn(io).block(java.time.Duration.ofSeconds(5)); // the closing thread, never an event loop
        io.dispose();
    }
}
