package dev.surge.loadtests.wrk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepares the actions benchmark ({@code actions.lua}) over real demo customers: for each of customers c1..cN a demo
 * token, the newest orders, and each order's actions read ({@code GET /api/v1/me/orders/{orderId}/actions}) until
 * {@code perCustomer} orders were found that allow something now: a return of one unit of the first returnable line,
 * else cancelling the whole order. Writes one {@code <token> POST <path> <body or ->} line per such order, and one
 * {@code <token> <orderId>} line per customer (the newest order) for {@code orders.lua}, the read path measured
 * beside it. Customers whose orders allow nothing get no action line. Runs before the measurement, never during it;
 * a 429 (the per-customer read limit) is retried after a second. The answers are read with patterns, as
 * {@link RequestSetup} does: this module's main classpath has no JSON library, and the shapes are the gateway's own
 * records (docs/backoffice-api.md, "eligibility"), their members in a fixed order.
 *
 * <p>Usage: {@code ActionSetup <gatewayUrl> <customers> <actionsFile> <readsFile> [perCustomer (2)]}
 */
public final class ActionSetup {

    private static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ORDER_ID = Pattern.compile("\"id\"\\s*:\\s*\"(O[0-9]+)\"");
    private static final Pattern RETURNS_ALLOWED =
            Pattern.compile("\"returns\"\\s*:\\s*\\{\\s*\"allowed\"\\s*:\\s*true");
    private static final Pattern RETURNABLE_SKU =
            Pattern.compile("\"sku\"\\s*:\\s*\"([^\"]+)\"[^{}]*?\"returnable\"\\s*:\\s*([1-9][0-9]*)");
    private static final Pattern CANCEL_ALLOWED =
            Pattern.compile("\"cancellation\"\\s*:\\s*\\{\\s*\"allowed\"\\s*:\\s*true");
    private static final int CONCURRENCY = 32;
    private static final int ORDERS_READ = 10;
    private static final int MAX_TRIES = 10;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final int perCustomer;
    private final AtomicInteger returns = new AtomicInteger();
    private final AtomicInteger cancellations = new AtomicInteger();

    private ActionSetup(URI base, int perCustomer) {
        this.base = base;
        this.perCustomer = perCustomer;
    }

    private record Prepared(String read, List<String> actions) {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int customers = Integer.parseInt(args[1]);
        Path actionsFile = Path.of(args[2]);
        Path readsFile = Path.of(args[3]);
        ActionSetup setup = new ActionSetup(base, args.length > 4 ? Integer.parseInt(args[4]) : 2);
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        List<CompletableFuture<Prepared>> prepared = new ArrayList<>(customers);
        long started = System.nanoTime();
        for (int n = 1; n <= customers; n++) {
            inFlight.acquire();
            prepared.add(setup.customer("c" + n).whenComplete((p, error) -> inFlight.release()));
        }
        List<String> actions = new ArrayList<>();
        List<String> reads = new ArrayList<>(customers);
        for (CompletableFuture<Prepared> one : prepared) {
            Prepared p = one.join();
            reads.add(p.read());
            actions.addAll(p.actions());
        }
        if (actions.isEmpty()) {
            throw new IllegalStateException("no order of " + customers + " customers allows an action now");
        }
        for (Path file : List.of(actionsFile, readsFile)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.write(actionsFile, actions);
        Files.write(readsFile, reads);
        System.out.printf("prepared %d customers in %.1f s: %d actions (%d returns, %d cancellations) -> %s, "
                        + "reads -> %s%n", customers, (System.nanoTime() - started) / 1e9, actions.size(),
                setup.returns.get(), setup.cancellations.get(), actionsFile, readsFile);
    }

    private CompletableFuture<Prepared> customer(String customer) {
        HttpRequest mint = HttpRequest.newBuilder(base.resolve("/demo/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"" + customer + "\"}"))
                .timeout(Duration.ofSeconds(10)).build();
        return send(mint, 0).thenApply(response -> first(TOKEN, response, customer))
                .thenCompose(token -> send(get("/api/v1/me/orders?limit=" + ORDERS_READ, token), 0)
                        .thenCompose(response -> {
                            List<String> orders = all(ORDER_ID, response, customer);
                            return actionable(token, orders, 0, new ArrayList<>())
                                    .thenApply(actions -> new Prepared(token + " " + orders.get(0), actions));
                        }));
    }

    /** Reads the orders' actions one after the other until {@code perCustomer} lines were found. */
    private CompletableFuture<List<String>> actionable(String token, List<String> orders, int index,
                                                      List<String> found) {
        if (index >= orders.size() || found.size() >= perCustomer) {
            return CompletableFuture.completedFuture(found);
        }
        String order = orders.get(index);
        return send(get("/api/v1/me/orders/" + order + "/actions", token), 0).thenCompose(response -> {
            String body = response.body();
            if (response.statusCode() == 200) {
                Matcher sku = RETURNABLE_SKU.matcher(body);
                if (RETURNS_ALLOWED.matcher(body).find() && sku.find()) {
                    returns.incrementAndGet();
                    found.add(token + " POST /api/v1/me/orders/" + order + "/returns {\"lines\":[{\"sku\":\""
                            + sku.group(1) + "\",\"quantity\":1}],\"reason\":\"no_longer_needed\"}");
                } else if (CANCEL_ALLOWED.matcher(body).find()) {
                    cancellations.incrementAndGet();
                    found.add(token + " POST /api/v1/me/orders/" + order + "/cancellation -");
                }
            }
            return actionable(token, orders, index + 1, found);
        });
    }

    private HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build();
    }

    /** Sends; a 429 or 503 (limits, shedding) is sent again a second later, {@value #MAX_TRIES} times at most. */
    private CompletableFuture<HttpResponse<String>> send(HttpRequest request, int tries) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
            if ((response.statusCode() == 429 || response.statusCode() == 503) && tries + 1 < MAX_TRIES) {
                return CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
                        .thenCompose(ignored -> send(request, tries + 1));
            }
            return CompletableFuture.completedFuture(response);
        });
    }

    private static String first(Pattern pattern, HttpResponse<String> response, String customer) {
        return all(pattern, response, customer).get(0);
    }

    private static List<String> all(Pattern pattern, HttpResponse<String> response, String customer) {
        Matcher matcher = pattern.matcher(response.body());
        List<String> found = new ArrayList<>();
        while (response.statusCode() == 200 && matcher.find()) {
            found.add(matcher.group(1));
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("setup of " + customer + " failed: HTTP " + response.statusCode() + " "
                    + response.body());
        }
        return found;
    }

    static {
        // Fail loudly rather than hang when the gateway is not there.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            System.err.println(e.getMessage());
            System.exit(1);
        });
    }
}
