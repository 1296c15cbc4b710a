package dev.surge.loadtests.gatling;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The gateway under load: one already running ({@code -Dsurge.baseUrl}), or one this run starts from the Boot jar
 * on a free loopback port (embedded Redis and back-office simulator, {@code -Xms1g -Xmx1g}) and stops by PID at the
 * end, however the run ends. Either way its heap (from {@code /actuator/prometheus}) and, when the PID is known, its
 * RSS are sampled every few seconds; the maxima go into the run's summary.
 *
 * <p>Runs on the load generator's own threads (set-up, a sampler thread), never on Gatling's event loops.
 */
final class Gateway {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

    private final String baseUrl;
    private final String managementUrl;
    private final @Nullable Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong maxHeap = new AtomicLong();
    private final AtomicLong lastHeap = new AtomicLong();
    private final AtomicLong maxRss = new AtomicLong();
    private final AtomicLong lastRss = new AtomicLong();
    private final List<long[]> samples = new CopyOnWriteArrayList<>();
    private final long createdNanos = System.nanoTime();
    private @Nullable ScheduledExecutorService sampler;

    private Gateway(String baseUrl, String managementUrl, @Nullable Process process, Path log) {
        this.baseUrl = baseUrl;
        this.managementUrl = managementUrl;
        this.process = process;
        this.log = log;
    }

    /** The gateway of {@code -Dsurge.baseUrl}, or a new one started with {@code extraArgs} added to its arguments. */
    static Gateway forRun(String name, List<String> extraArgs) {
        String url = Settings.baseUrlOrNull();
        Path log = Path.of("target", "gatling", name + "-gateway.log");
        if (url != null) {
            String management = System.getProperty(Settings.MANAGEMENT_URL, "");
            URI base = URI.create(url);
            return new Gateway(url, management.isBlank()
                    ? base.getScheme() + "://" + base.getHost() + ":8081" // the default management.server.port
                    : management.trim().replaceAll("/+$", ""), null, log);
        }
        String jar = Settings.string(Settings.GATEWAY_JAR, "../gateway/target/surge-gateway-0.1.0.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no gateway jar at " + jar + ": build it first (mvn -B -DskipTests "
                    + "package) or pass -D" + Settings.BASE_URL + "=http://127.0.0.1:8080");
        }
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>();
        String cpus = Settings.string(Settings.GATEWAY_CPUS, "");
        if (!cpus.isEmpty()) {
            if (!cpus.matches("[0-9,-]+")) {
                throw new IllegalArgumentException(Settings.GATEWAY_CPUS + " takes a CPU list such as 0 or 0-1: "
                        + cpus);
            }
            command.addAll(List.of("taskset", "-c", cpus)); // execs java: the process (and its PID) is the gateway
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(split(Settings.string(Settings.GATEWAY_JVM, "-Xms1g -Xmx1g")));
        command.addAll(List.of("-jar", jar, "--server.port=" + port, "--server.address=127.0.0.1",
                "--management.server.port=" + managementPort, "--management.server.address=127.0.0.1",
                "--logging.level.root=WARN",
                "--surge.escalation.spool-dir=" + Path.of("target", "gatling", name + "-spool").toAbsolutePath()));
        command.addAll(extraArgs);
        command.addAll(split(Settings.string(Settings.GATEWAY_ARGS, "")));
        try {
            Files.createDirectories(log.getParent());
            Process started = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Gateway gateway = new Gateway("http://127.0.0.1:" + port, "http://127.0.0.1:" + managementPort, started,
                    log);
            // A load generator killed mid-run must not leave a gateway behind.
            Runtime.getRuntime().addShutdownHook(new Thread(gateway::stop));
            return gateway;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the gateway: " + command, e);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Where the actuator answers (its own port). */
    String managementUrl() {
        return managementUrl;
    }

    /** Waits for readiness (bounded), then samples memory until {@link #stop()}. */
    void awaitReadyAndSample() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (status("/actuator/health/readiness") != 200) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("the gateway exited during start-up; see " + log.toAbsolutePath());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway was not ready within " + START_TIMEOUT + " at "
                        + baseUrl);
            }
            pause(Duration.ofMillis(250));
        }
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gateway-memory-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** GET on the gateway; the status, or -1 when it did not answer within 5 s. */
    int status(String path) {
        try {
            return http.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** GET on the gateway; the body, or empty when it did not answer with 200. */
    String body(String path) {
        try {
            HttpResponse<String> response = http.send(request(path), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Sends a PUT or DELETE with a JSON body to the demo endpoints (faults); the status. */
    int send(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpRequest request(String path) {
        String base = path.startsWith("/actuator") ? managementUrl : baseUrl;
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).GET().build();
    }

    private void sample() {
        long heap = heapBytes();
        if (heap > 0) {
            lastHeap.set(heap);
            maxHeap.accumulateAndGet(heap, Math::max);
        }
        long rss = rssBytes();
        if (rss > 0) {
            lastRss.set(rss);
            maxRss.accumulateAndGet(rss, Math::max);
        }
        samples.add(new long[] {(System.nanoTime() - createdNanos) / 1_000_000_000L, heap, rss});
    }

    /** The largest RSS (or heap, when the RSS is unknown) sampled between these seconds of the run, in MiB. */
    long maxMemoryMib(long fromSecond, long toSecond) {
        return samples.stream().filter(s -> s[0] >= fromSecond && s[0] < toSecond)
                .mapToLong(s -> s[2] > 0 ? s[2] : s[1]).max().orElse(0) >> 20;
    }

    /** Every sample as CSV: second, heap MiB, RSS MiB. */
    void writeSamples(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("second,heap_mib,rss_mib");
        for (long[] s : samples) {
            lines.add(s[0] + "," + (s[1] >> 20) + "," + (s[2] >> 20));
        }
        Files.write(file, lines);
    }

    /** Sum of the heap pools' {@code jvm_memory_used_bytes}. */
    private long heapBytes() {
        double sum = 0;
        for (String line : body("/actuator/prometheus").split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    /** VmRSS of the gateway process (Linux), when this run knows its PID. */
    private long rssBytes() {
        long pid = process != null ? process.pid() : Long.getLong("surge.gatewayPid", -1L);
        if (pid < 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    long maxHeapMib() {
        return maxHeap.get() >> 20;
    }

    /** Max and last heap and RSS seen, in MiB, for the summary. */
    String memory() {
        return String.format(Locale.ROOT, "gateway_heap_max_mib=%d gateway_heap_last_mib=%d gateway_rss_max_mib=%d "
                        + "gateway_rss_last_mib=%d", maxHeap.get() >> 20, lastHeap.get() >> 20, maxRss.get() >> 20,
                lastRss.get() >> 20);
    }

    /** Takes a last sample and stops the sampler; stops the gateway by PID when this run started it. */
    void stop() {
        ScheduledExecutorService running = sampler;
        if (running != null) {
            running.shutdownNow();
            sampler = null;
            sample();
        }
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> split(String words) {
        return words.isBlank() ? List.of() : Arrays.asList(words.trim().split("\\s+"));
    }
}
