package dev.surge.gateway;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The back-office simulator's fault and stats endpoints, as tests drive them. */
public final class SimulatorControl {

    private SimulatorControl() {
    }

    /** Replaces every fault, e.g. {@code {"endpoints":{"orders":{"errorRate":1.0}}}}. */
    public static void faults(WebTestClient client, String json) {
        client.put().uri("/demo/backoffice/faults").contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange().expectStatus().isOk();
    }

    public static void heal(WebTestClient client) {
        client.delete().uri("/demo/backoffice/faults").exchange().expectStatus().is2xxSuccessful();
    }

    /** Calls the simulator received so far on the given endpoints, together. */
    public static long calls(WebTestClient client, String... endpoints) {
        Map<?, ?> counts = (Map<?, ?>) client.get().uri("/demo/backoffice/stats").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("calls");
        long sum = 0;
        for (String endpoint : endpoints) {
            sum += ((Number) counts.get(endpoint)).longValue();
        }
        return sum;
    }

    /** Calls of one method (GET, POST, PUT) the simulator received on an endpoint so far. */
    public static long callsByMethod(WebTestClient client, String endpoint, String method) {
        return count(client, "methods", endpoint, method);
    }

    /**
     * Writes on an endpoint ({@code returns}, {@code cancellation}, {@code address}, {@code preferences}) that ended
     * this way so far: {@code applied} (a change made), {@code replayed} (a repeated Idempotency-Key answered from
     * memory) or {@code refused} (a rule, an invalid request, an unknown order).
     */
    public static long writes(WebTestClient client, String endpoint, String outcome) {
        return count(client, "writes", endpoint, outcome);
    }

    private static long count(WebTestClient client, String group, String endpoint, String member) {
        Map<?, ?> counts = (Map<?, ?>) client.get().uri("/demo/backoffice/stats").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get(group);
        return ((Number) ((Map<?, ?>) counts.get(endpoint)).get(member)).longValue();
    }
}
