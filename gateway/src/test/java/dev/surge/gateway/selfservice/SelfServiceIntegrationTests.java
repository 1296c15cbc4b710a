package dev.surge.gateway.selfservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The self-service read API over real HTTP, against the embedded Redis and the back-office simulator. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class SelfServiceIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient client;

    private JsonNode get(String token, String uri) {
        byte[] body = client.get().uri(uri).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    private String newestOrderId(String token) {
        return get(token, "/api/v1/me/orders?limit=1").get("orders").get(0).get("id").asString();
    }

    @Test
    void customerReadsOwnProfileAndAccount() {
        String token = TestTokens.customer(client, "c42");
        JsonNode me = get(token, "/api/v1/me");
        assertThat(me.get("id").asString()).isEqualTo("c42");
        assertThat(me.get("tier").asString()).isIn("standard", "gold", "platinum");

        JsonNode account = get(token, "/api/v1/me/account");
        assertThat(account.get("customerId").asString()).isEqualTo("c42");
        assertThat(account.has("balance")).isTrue();
        assertThat(account.has("creditLimit")).isTrue();
        assertThat(account.get("creditStatus").asString()).isIn("good", "watch", "hold");
    }

    @Test
    void paginationVisitsEveryOrderExactlyOnceNewestFirst() {
        String token = TestTokens.customer(client, "c7");
        List<String> all = new ArrayList<>();
        List<Instant> placed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get(token, "/api/v1/me/orders?limit=2" + (cursor != null ? "&cursor=" + cursor : ""));
            page.get("orders").forEach(o -> {
                all.add(o.get("id").asString());
                placed.add(Instant.parse(o.get("placedAt").asString()));
            });
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asString() : null;
            pages++;
        } while (cursor != null && pages < 50);

        JsonNode single = get(token, "/api/v1/me/orders?limit=50");
        assertThat(all).hasSize(single.get("orders").size()).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).hasSameSizeAs(all);
        assertThat(all).isNotEmpty().hasSizeLessThanOrEqualTo(20);
        assertThat(placed).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(single.hasNonNull("nextCursor")).isFalse();
    }

    @Test
    void orderHasLinesAndHistoryAndAnEtagThatRevalidatesWith304() {
        String token = TestTokens.customer(client, "c42");
        String orderId = newestOrderId(token);
        var result = client.get().uri("/api/v1/me/orders/{id}", orderId).headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueMatches(HttpHeaders.CACHE_CONTROL, ".*private.*")
                .expectBody()
                .jsonPath("$.id").isEqualTo(orderId)
                .jsonPath("$.customerId").isEqualTo("c42")
                .jsonPath("$.lines").isNotEmpty()
                .jsonPath("$.history").isNotEmpty()
                .returnResult();
        String etag = result.getResponseHeaders().getETag();
        assertThat(etag).isNotBlank();

        client.get().uri("/api/v1/me/orders/{id}", orderId)
                .headers(h -> {
                    h.setBearerAuth(token);
                    h.setIfNoneMatch(etag);
                })
                .exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                .expectBody().isEmpty();
    }

    @Test
    void anotherCustomersOrderAnswersExactlyLikeAMissingOne() {
        String owner = TestTokens.customer(client, "c42");
        String intruder = TestTokens.customer(client, "c43");
        String orderId = newestOrderId(owner);

        byte[] foreign = client.get().uri("/api/v1/me/orders/{id}", orderId).headers(h -> h.setBearerAuth(intruder))
                .exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody();
        byte[] missing = client.get().uri("/api/v1/me/orders/{id}", "O999999999999").headers(h -> h.setBearerAuth(intruder))
                .exchange().expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody();

        JsonNode a = JSON.readTree(foreign);
        JsonNode b = JSON.readTree(missing);
        assertThat(a.get("title")).isEqualTo(b.get("title"));
        assertThat(a.get("detail")).isEqualTo(b.get("detail"));
        assertThat(a.get("type")).isEqualTo(b.get("type"));
        assertThat(new String(foreign)).doesNotContain("c42");

        client.get().uri("/api/v1/me/orders/{id}/shipment", orderId).headers(h -> h.setBearerAuth(intruder))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void shipmentOfAShippedOrderHasCarrierAndTrackingEvents() {
        // Walk a few customers until one has a shipped order: the demo data is deterministic, so this is stable.
        for (int n = 1; n <= 20; n++) {
            String token = TestTokens.customer(client, "c" + n);
            for (JsonNode order : get(token, "/api/v1/me/orders?limit=50").get("orders")) {
                String status = order.get("status").asString();
                if (status.equals("shipped") || status.equals("delivered")) {
                    JsonNode shipment = get(token, "/api/v1/me/orders/" + order.get("id").asString() + "/shipment");
                    assertThat(shipment.get("orderId").asString()).isEqualTo(order.get("id").asString());
                    assertThat(shipment.get("carrier").asString()).isNotBlank();
                    assertThat(shipment.get("events").size()).isPositive();
                    return;
                }
            }
        }
        throw new AssertionError("no shipped order among the first 20 demo customers");
    }

    @Test
    void stockLevelsAreOpenToAnonymousCallersAndSharedCacheable() {
        client.get().uri("/api/v1/inventory/{sku}", "SKU-00001").exchange()
                .expectStatus().isOk()
                .expectHeader().valueMatches(HttpHeaders.CACHE_CONTROL, "(?=.*public)(?=.*max-age=\\d+).*")
                .expectHeader().exists(HttpHeaders.ETAG)
                .expectBody()
                .jsonPath("$.sku").isEqualTo("SKU-00001")
                .jsonPath("$.warehouses").isArray();
    }
}
