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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mints a demo token for each of customers c1..cN and picks that customer's newest order, writing one
 * {@code <token> <orderId>} line per customer for {@code orders.lua}. Runs before the measurement, never during it.
 *
 * <p>Usage: {@code RequestSetup <gatewayUrl> <customers> <outputFile>}
 */
public final class RequestSetup {

    private static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ORDER_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final int CONCURRENCY = 32;

    private RequestSetup() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int customers = Integer.parseInt(args[1]);
        Path output = Path.of(args[2]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        List<CompletableFuture<String>> lines = new ArrayList<>(customers);
        long started = System.nanoTime();
        for (int n = 1; n <= customers; n++) {
            inFlight.acquire();
            String customer = "c" + n;
            lines.add(setup(http, base, customer).whenComplete((line, error) -> inFlight.release()));
        }
        List<String> out = new ArrayList<>(customers);
        for (CompletableFuture<String> line : lines) {
            out.add(line.join());
        }
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.write(output, out);
        System.out.printf("prepared %d customers in %.1f s -> %s%n", customers,
                (System.nanoTime() - started) / 1e9, output);
    }

    private static CompletableFuture<String> setup(HttpClient http, URI base, String customer) {
        HttpRequest mint = HttpRequest.newBuilder(base.resolve("/demo/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"" + customer + "\"}"))
                .timeout(Duration.ofSeconds(10)).build();
        return http.sendAsync(mint, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> first(TOKEN, response, customer))
                .thenCompose(token -> {
                    HttpRequest newest = HttpRequest.newBuilder(base.resolve("/api/v1/me/orders?limit=1"))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(10)).build();
                    return http.sendAsync(newest, HttpResponse.BodyHandlers.ofString())
                            .thenApply(response -> token + " " + first(ORDER_ID, response, customer));
                });
    }

    private static String first(Pattern pattern, HttpResponse<String> response, String customer) {
        Matcher matcher = pattern.matcher(response.body());
        if (response.statusCode() != 200 || !matcher.find()) {
            throw new IllegalStateException("setup of " + customer + " failed: HTTP " + response.statusCode() + " "
                    + response.body());
        }
        return matcher.group(1);
    }

    static {
        // Fail loudly rather than hang when the gateway is not there.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            System.err.println(e.getMessage());
            System.exit(1);
        });
    }

}
