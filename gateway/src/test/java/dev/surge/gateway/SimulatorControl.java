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
}
