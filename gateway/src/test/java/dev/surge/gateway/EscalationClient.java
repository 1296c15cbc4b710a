package dev.surge.gateway;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Escalations and agents over real HTTP, and a look at what Redis holds, for the escalation and agent tests. */
public final class EscalationClient {

    private final WebTestClient client;
    private final ReactiveStringRedisTemplate redis;

    public EscalationClient(WebTestClient client, ReactiveStringRedisTemplate redis) {
        this.client = client;
        this.redis = redis;
    }

    /** A web escalation body for the reason. */
    public static Map<String, Object> web(String reason) {
        Map<String, Object> body = new HashMap<>();
        body.put("reason", reason);
        body.put("channel", "web");
        body.put("message", "It has not arrived.");
        return body;
    }

    public WebTestClient.ResponseSpec post(String token, String idempotencyKey, Object body) {
        return client.post().uri("/api/v1/escalations")
                .headers(h -> {
                    h.setBearerAuth(token);
                    h.set("Idempotency-Key", idempotencyKey);
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** Creates an escalation (expecting 202) and returns its id. */
    @SuppressWarnings("unchecked")
    public String create(String token, Map<String, Object> body) {
        Map<String, Object> created = post(token, UUID.randomUUID().toString(), body)
                .expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("id");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> get(String token, String id) {
        return client.get().uri("/api/v1/escalations/{id}", id).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    /** An agent's claim: the escalation offered, or null on 204. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> claim(String agentToken) {
        return client.post().uri("/api/v1/agent/escalations/claim").headers(h -> h.setBearerAuth(agentToken))
                .exchange()
                .expectStatus().value(status -> org.assertj.core.api.Assertions.assertThat(status).isIn(200, 204))
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    public WebTestClient.ResponseSpec step(String agentToken, String id, String step, Object body) {
        return client.post().uri("/api/v1/agent/escalations/{id}/{step}", id, step)
                .headers(h -> h.setBearerAuth(agentToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** A demo customer of the tier ("standard", "gold", "platinum"), from c{from} on, with their token. */
    @SuppressWarnings("unchecked")
    public String[] customerOfTier(String tier, int from) {
        for (int n = from; n < from + 500; n++) {
            String token = TestTokens.customer(client, "c" + n);
            Map<String, Object> me = client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            if (tier.equals(me.get("tier"))) {
                return new String[] {"c" + n, token};
            }
        }
        throw new IllegalStateException("no " + tier + " customer near c" + from);
    }

    /** Forgets every escalation, queue, agent and idempotency key, so each test starts from empty queues. */
    public void clear() {
        List<String> keys = redis.scan(ScanOptions.scanOptions().match("surge:{esc}:*").count(1000).build())
                .collectList().block(Duration.ofSeconds(5));
        if (keys != null && !keys.isEmpty()) {
            redis.delete(keys.toArray(String[]::new)).block(Duration.ofSeconds(5));
        }
    }

    /** How many escalations Redis holds for the customer. */
    public long countFor(String customerId) {
        Long count = redis.scan(ScanOptions.scanOptions().match("surge:{esc}:e:*").count(1000).build())
                .flatMap(key -> redis.<String, String>opsForHash().get(key, "customerId"))
                .filter(customerId::equals)
                .count()
                .block(Duration.ofSeconds(5));
        return count == null ? 0 : count;
    }
}
