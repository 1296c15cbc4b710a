package dev.surge.loadtests.escalation;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Escalations end to end on one gateway: creates a fixed number with a fixed concurrency (each with its own
 * Idempotency-Key), then has agents claim, accept and resolve until the queues are empty, and checks that every
 * created escalation was claimed exactly once. Prints created/s with p50/p99 of create, claimed/s, lost and
 * duplicated. Bounded in count and time; loopback only.
 *
 * <p>Usage: {@code EscalationBench <gatewayUrl> [count 30000] [concurrency 64] [customers 2000] [agents 128]
 * [warmup 20000] [gateway pid] [rate 0]}: with the gateway's pid it also prints the CPU time per create of the
 * gateway, its embedded Redis and the load generator itself, from {@code /proc/<pid>/stat} over the create phase
 * (Linux; on shared cores, what the three together cost per create bounds creates a second). With a rate above 0
 * the measured creates arrive at that rate (an open model) instead of a fixed number in flight, and each create's latency counts from its scheduled arrival, so a create that had to wait
 * for a connection is not measured as fast (no coordinated omission): what a create costs below saturation.
 */
public final class EscalationBench {

    private static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final String[] REASONS = {"order_problem", "delivery", "return", "billing", "other"};
    private static final Duration PHASE_LIMIT = Duration.ofMinutes(5);
    /** Claim loops at once; each takes the next agent for every claim, accept and resolve. */
    private static final int CLAIM_LOOPS = 32;

    private final HttpClient http;
    private final List<String> customerTokens = new ArrayList<>();
    private final List<String> agentTokens = new ArrayList<>();
    private final AtomicInteger nextAgent = new AtomicInteger();
    /** Claims answered neither 200 nor 204 (429 past an agent's rate limit, 503): tried again, never "empty". */
    private final AtomicInteger claimsRefused = new AtomicInteger();

    private EscalationBench(String url, int concurrency) {
        ConnectionProvider pool = ConnectionProvider.builder("escalation-bench").maxConnections(concurrency * 2)
                .pendingAcquireMaxCount(-1).build();
        this.http = HttpClient.create(pool).baseUrl(url).responseTimeout(Duration.ofSeconds(10));
    }

    /** Results of one create phase. */
    private record Created(Set<String> ids, long[] latenciesNanos, int errors, int duplicates, long elapsedNanos) {
    }

    public static void main(String[] args) {
        String url = args[0];
        String host = URI.create(url).getHost();
        if (!host.startsWith("127.") && !host.equals("localhost")) {
            throw new IllegalArgumentException("the benchmark only targets loopback addresses, not " + host);
        }
        int count = arg(args, 1, 30_000);
        int concurrency = arg(args, 2, 64);
        int customers = arg(args, 3, 2_000);
        int agents = arg(args, 4, 128);
        int warmup = arg(args, 5, 20_000);
        long gatewayPid = args.length > 6 ? Long.parseLong(args[6]) : -1;
        double rate = args.length > 7 ? Double.parseDouble(args[7]) : 0;
        // The gateway's default escalation limit: 30 per customer in 10 minutes. Past it creates answer 429 and the
        // run measures the rate limiter, not the queue.
        if (warmup + count > 30L * customers) {
            throw new IllegalArgumentException("warm-up + count (" + (warmup + count) + ") is more than 30 per "
                    + "customer, the gateway's escalation rate limit: use at least " + (warmup + count + 29) / 30
                    + " customers");
        }
        EscalationBench bench = new EscalationBench(url, concurrency);
        bench.setUp(customers, agents, concurrency);

        if (warmup > 0) {
            System.out.printf("warm-up: %d escalations, then claim them all%n", warmup);
            // The same way as measured: an open model warms other code paths, in the load generator too. (Its
            // backlog while the JIT is cold once left 429s behind: timed-out rate-limit syncs counted twice.)
            Created warm = bench.create(warmup, concurrency, rate);
            bench.claimAll(warm.ids(), CLAIM_LOOPS);
        }
        System.out.printf("measuring: %d escalations %s from %d customers, %d agents%n", count,
                rate > 0 ? String.format("arriving at %.0f/s", rate) : "at concurrency " + concurrency, customers,
                agents);
        // The three processes that share the machine's cores: on two cores, what each costs per create is what
        // bounds creates a second.
        long redisPid = embeddedRedis(gatewayPid);
        long selfPid = ProcessHandle.current().pid();
        long cpuBefore = cpuMicros(gatewayPid);
        long redisBefore = cpuMicros(redisPid);
        long selfBefore = cpuMicros(selfPid);
        Created created = bench.create(count, concurrency, rate);
        long cpuAfter = cpuMicros(gatewayPid);
        long redisAfter = cpuMicros(redisPid);
        long selfAfter = cpuMicros(selfPid);
        long claimStart = System.nanoTime();
        Map<String, AtomicInteger> claims = bench.claimAll(created.ids(), CLAIM_LOOPS);
        long claimNanos = System.nanoTime() - claimStart;

        long lost = created.ids().stream().filter(id -> !claims.containsKey(id)).count();
        long duplicated = claims.values().stream().filter(n -> n.get() > 1).count() + created.duplicates();
        long strays = claims.keySet().stream().filter(id -> !created.ids().contains(id)).count();
        long[] sorted = created.latenciesNanos().clone();
        Arrays.sort(sorted);
        double createSeconds = created.elapsedNanos() / 1e9;
        double claimSeconds = claimNanos / 1e9;
        System.out.println();
        System.out.printf("SURGE_ESCALATION offered_per_s=%s created=%d errors=%d created_per_s=%.0f "
                        + "create_p50_ms=%.2f create_p99_ms=%.2f create_max_ms=%.2f claimed=%d claimed_per_s=%.0f "
                        + "end_to_end_per_s=%.0f lost=%d duplicated=%d strays=%d claims_refused=%d "
                        + "gateway_cpu_us_per_create=%.0f redis_cpu_us_per_create=%.0f "
                        + "loadgen_cpu_us_per_create=%.0f%n",
                rate > 0 ? String.format("%.0f", rate) : "closed", created.ids().size(), created.errors(),
                created.ids().size() / createSeconds,
                percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0), claims.size(),
                claims.size() / claimSeconds, created.ids().size() / (createSeconds + claimSeconds), lost,
                duplicated, strays, bench.claimsRefused.get(),
                perCreate(cpuBefore, cpuAfter, created), perCreate(redisBefore, redisAfter, created),
                perCreate(selfBefore, selfAfter, created));
        System.exit(lost == 0 && duplicated == 0 && created.errors() == 0 ? 0 : 1);
    }

    /** CPU microseconds per created escalation between two readings; -1 when either is unknown. */
    private static double perCreate(long before, long after, Created created) {
        return before < 0 || after < 0 || created.ids().isEmpty() ? -1.0
                : (after - before) / (double) created.ids().size();
    }

    /** The gateway's embedded Redis server (a child process it starts), or -1 when there is none or it is unknown. */
    static long embeddedRedis(long gatewayPid) {
        if (gatewayPid <= 0) {
            return -1;
        }
        return ProcessHandle.of(gatewayPid).stream().flatMap(ProcessHandle::descendants)
                .filter(p -> p.info().commandLine().map(c -> c.contains("redis")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    /**
     * User plus system CPU time of a process in microseconds, from fields 14 and 15 of {@code /proc/<pid>/stat} (in
     * clock ticks, which Linux reports at USER_HZ = 100 on every architecture this runs on); -1 when unknown.
     */
    static long cpuMicros(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10_000;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** Tokens for customers c1..cN (each reads their profile and account first, as before escalating) and agents. */
    private void setUp(int customers, int agents, int concurrency) {
        long started = System.nanoTime();
        List<String> tokens = Flux.range(1, customers)
                .flatMapSequential(n -> mint("{\"customerId\":\"c" + n + "\"}")
                        .flatMap(token -> get("/api/v1/me", token).then(get("/api/v1/me/account", token))
                                .thenReturn(token)), concurrency)
                .collectList().block(PHASE_LIMIT);
        customerTokens.addAll(tokens);
        for (int a = 1; a <= agents; a++) {
            agentTokens.add(mint("{\"agentId\":\"bench-" + a + "\",\"skills\":[\"orders\",\"returns\",\"billing\","
                    + "\"general\"]}").block(Duration.ofSeconds(10)));
        }
        System.out.printf("set up %d customers and %d agents in %.1f s%n", customers, agents,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Creates {@code count} escalations: {@code concurrency} in flight at a time when {@code rate} is 0, else arriving
     * at {@code rate} a second whatever is in flight (latency then counted from each one's scheduled arrival).
     */
    private Created create(int count, int concurrency, double rate) {
        long[] latencies = new long[count];
        Set<String> ids = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>(); // by status, or the exception's name
        long started = System.nanoTime();
        double nanosApart = rate > 0 ? 1e9 / rate : 0;
        Flux<Integer> arrivals = rate > 0
                ? Flux.interval(Duration.ZERO, Duration.ofNanos(Math.max(1, (long) nanosApart))).take(count)
                        .map(Long::intValue).onBackpressureBuffer()
                : Flux.range(0, count);
        arrivals
                .flatMap(i -> {
                    String token = customerTokens.get(i % customerTokens.size());
                    String body = "{\"reason\":\"" + REASONS[i % REASONS.length] + "\",\"channel\":\""
                            + (i % 3 == 0 ? "mobile" : "web") + "\",\"message\":\"bench " + i + "\"}";
                    long sent = rate > 0 ? started + (long) (i * nanosApart) : System.nanoTime();
                    return http.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                                    .set("Idempotency-Key", UUID.randomUUID().toString())
                                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                            .post().uri("/api/v1/escalations")
                            .send(ByteBufFlux.fromString(Mono.just(body)))
                            .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
                                    .defaultIfEmpty("")
                                    .map(text -> {
                                        latencies[i] = System.nanoTime() - sent;
                                        Matcher id = ID.matcher(text);
                                        if (response.status().code() != 202 || !id.find()) {
                                            failures.computeIfAbsent(Integer.toString(response.status().code()),
                                                    k -> new AtomicInteger()).incrementAndGet();
                                        } else if (!ids.add(id.group(1))) {
                                            duplicates.incrementAndGet();
                                        }
                                        return text;
                                    }))
                            .onErrorResume(e -> {
                                latencies[i] = System.nanoTime() - sent;
                                failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger())
                                        .incrementAndGet();
                                return Mono.empty();
                            });
                }, rate > 0 ? count : concurrency) // open model: the connection pool bounds what is in flight
                .blockLast(PHASE_LIMIT);
        long elapsed = System.nanoTime() - started;
        int errors = failures.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.printf("created %d in %.1f s (%d errors%s)%n", ids.size(), elapsed / 1e9, errors,
                failures.isEmpty() ? "" : ": " + failures);
        if (rate > 0) {
            // p99 per tenth of the phase, in arrival order: shows whether slow creates are spread or a burst
            int tenth = Math.max(1, count / 10);
            StringBuilder line = new StringBuilder("create p99 by tenth of the phase (ms):");
            for (int from = 0; from < count; from += tenth) {
                long[] part = Arrays.copyOfRange(latencies, from, Math.min(count, from + tenth));
                Arrays.sort(part);
                line.append(String.format(" %.1f", percentile(part, 0.99)));
            }
            System.out.println(line);
        }
        return new Created(ids, latencies, errors, duplicates.get(), elapsed);
    }

    /**
     * Agents claim, accept and resolve until every expected escalation was claimed (or all queues answer 204 and
     * stay empty), each loop with its own agent. Returns how often each id was claimed.
     */
    private Map<String, AtomicInteger> claimAll(Set<String> expected, int loops) {
        Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();
        AtomicLong empty = new AtomicLong();
        Flux.range(0, loops)
                .flatMap(loop -> Mono.defer(() -> claimOne(claims))
                        .repeat(() -> claims.size() < expected.size())
                        .takeUntil(claimed -> !claimed && empty.incrementAndGet() > loops * 3L)
                        .then(), loops)
                .blockLast(PHASE_LIMIT);
        System.out.printf("claimed %d of %d (%d claims refused and tried again)%n", claims.size(), expected.size(),
                claimsRefused.get());
        return claims;
    }

    /**
     * One claim, accept and resolve by the next agent; true when something was claimed. Agents take turns because
     * each agent token is rate-limited (50 requests a second): the bench measures the queue, not one agent's limit.
     */
    private Mono<Boolean> claimOne(Map<String, AtomicInteger> claims) {
        String agent = agentTokens.get(Math.floorMod(nextAgent.getAndIncrement(), agentTokens.size()));
        return exchange("/api/v1/agent/escalations/claim", agent, "{\"skills\":[\"orders\",\"returns\","
                + "\"billing\",\"general\"]}")
                .flatMap(answer -> {
                    if (answer.status() == 204) {
                        return Mono.just(false);
                    }
                    Matcher id = ID.matcher(answer.body());
                    if (answer.status() != 200 || !id.find()) {
                        claimsRefused.incrementAndGet();
                        return Mono.just(true);
                    }
                    String escalation = id.group(1);
                    claims.computeIfAbsent(escalation, k -> new AtomicInteger()).incrementAndGet();
                    return post("/api/v1/agent/escalations/" + escalation + "/accept", agent, "{}")
                            .then(post("/api/v1/agent/escalations/" + escalation + "/resolve", agent,
                                    "{\"disposition\":\"bench\"}"))
                            .thenReturn(true);
                });
    }

    private record Answer(int status, String body) {
    }

    private Mono<Answer> exchange(String path, String token, String body) {
        return http.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .post().uri(path)
                .send(ByteBufFlux.fromString(Mono.just(body)))
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), text)));
    }

    private Mono<String> post(String path, String token, String body) {
        return http.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .post().uri(path)
                .send(ByteBufFlux.fromString(Mono.just(body)))
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty(""));
    }

    private Mono<Void> get(String path, String token) {
        return http.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token))
                .get().uri(path)
                .responseSingle((response, content) -> content.then())
                .then();
    }

    private Mono<String> mint(String body) {
        return http.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .post().uri("/demo/tokens")
                .send(ByteBufFlux.fromString(Mono.just(body)))
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8))
                .map(text -> {
                    Matcher token = TOKEN.matcher(text);
                    if (!token.find()) {
                        throw new IllegalStateException("no token: " + text);
                    }
                    return token.group(1);
                });
    }
}
