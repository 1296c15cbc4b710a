package dev.surge.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

import dev.surge.gateway.MutableClock;
import dev.surge.gateway.MutableClockConfiguration;
import dev.surge.gateway.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cache on the real read path, against the embedded Redis and the simulator over HTTP. Time is a clock the test
 * moves, so TTLs and stale windows pass without waiting.
 */
// One customer sends 1,000 requests at once here: rate limits and admission would (rightly) refuse most of them,
// and what is under test is what the cache does with the ones that get through.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"surge.ratelimit.enabled=false", "surge.admission.enabled=false"})
@AutoConfigureWebTestClient
@Import(MutableClockConfiguration.class)
class CacheIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger NEXT_CUSTOMER = new AtomicInteger(5000);

    @Autowired
    WebTestClient client;

    @Autowired
    MutableClock clock;

    @Autowired
    Clock anyClock;

    @LocalServerPort
    int port;

    @AfterEach
    void healBackOffice() {
        client.delete().uri("/demo/backoffice/faults").exchange().expectStatus().is2xxSuccessful();
    }

    private void faults(String json) {
        client.put().uri("/demo/backoffice/faults").contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange().expectStatus().isOk();
    }

    private long calls(String endpoint) {
        Map<?, ?> stats = client.get().uri("/demo/backoffice/stats").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((Number) ((Map<?, ?>) stats.get("calls")).get(endpoint)).longValue();
    }

    private String newestOrder(String token) {
        byte[] body = client.get().uri("/api/v1/me/orders?limit=1").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return JSON.readTree(body).get("orders").get(0).get("id").asString();
    }

    private EntityExchangeResult<byte[]> getOrder(String token, String orderId) {
        return client.get().uri("/api/v1/me/orders/{id}", orderId).headers(h -> h.setBearerAuth(token)).exchange()
                .expectBody().returnResult();
    }

    private static String cacheStatus(EntityExchangeResult<byte[]> result) {
        return result.getResponseHeaders().getFirst("Cache-Status");
    }

    @Test
    void theAppClockIsTheTestClock() {
        assertThat(anyClock.millis()).isEqualTo(clock.millis());
    }

    @Test
    void aThousandConcurrentRequestsForOneColdKeyMakeOneBackOfficeCall() {
        String token = TestTokens.customer(client, "c" + NEXT_CUSTOMER.incrementAndGet());
        String orderId = newestOrder(token);
        long before = calls("order");
        // Slow the back office so every request arrives while the first call is still out.
        faults("{\"endpoints\":{\"order\":{\"latencyMs\":700,\"errorRate\":0.0}}}");

        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        List<Integer> statuses = Flux.range(0, 1000)
                .flatMap(i -> http.get().uri("/api/v1/me/orders/{id}", orderId)
                        .headers(h -> h.setBearerAuth(token))
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 1000)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(statuses).hasSize(1000).containsOnly(200);
        assertThat(calls("order") - before).isEqualTo(1);
    }

    @Test
    void hitsCarryTheStoredBytesEtagAgeAndAsOf() {
        String token = TestTokens.customer(client, "c" + NEXT_CUSTOMER.incrementAndGet());
        String orderId = newestOrder(token);
        EntityExchangeResult<byte[]> miss = getOrder(token, orderId);
        assertThat(cacheStatus(miss)).isEqualTo("surge; fwd=miss; stored");
        clock.advance(Duration.ofSeconds(10));

        EntityExchangeResult<byte[]> hit = getOrder(token, orderId);
        assertThat(cacheStatus(hit)).isEqualTo("surge; hit");
        assertThat(hit.getResponseBody()).isEqualTo(miss.getResponseBody());
        assertThat(hit.getResponseHeaders().getETag()).isEqualTo(miss.getResponseHeaders().getETag());
        assertThat(hit.getResponseHeaders().getFirst(HttpHeaders.AGE)).isEqualTo("10");
        JsonNode body = JSON.readTree(hit.getResponseBody());
        assertThat(Instant.parse(body.get("asOf").asString())).isEqualTo(clock.instant().minusSeconds(10));
    }

    @Test
    void failingBackOfficeGetsStaleDataWithinMaxStalenessThenAnError() {
        String token = TestTokens.customer(client, "c" + NEXT_CUSTOMER.incrementAndGet());
        String orderId = newestOrder(token);
        byte[] original = getOrder(token, orderId).getResponseBody();
        faults("{\"errorRate\":1.0}");

        // Past TTL (30 s) and stale-while-revalidate (30 s): the refresh is tried now, fails, stale stands in.
        clock.advance(Duration.ofMinutes(5));
        EntityExchangeResult<byte[]> stale = getOrder(token, orderId);
        assertThat(stale.getStatus().value()).isEqualTo(200);
        assertThat(cacheStatus(stale)).isEqualTo("surge; hit; detail=stale-if-error");
        assertThat(stale.getResponseHeaders().getFirst(HttpHeaders.AGE)).isEqualTo("300");
        assertThat(stale.getResponseBody()).isEqualTo(original);

        // Past the order's maximum staleness (6 h): no more stale data, an honest 502. Tokens live 1 h, so a new one.
        clock.advance(Duration.ofHours(7));
        String later = TestTokens.customer(client, subjectOf(token));
        client.get().uri("/api/v1/me/orders/{id}", orderId).headers(h -> h.setBearerAuth(later)).exchange()
                .expectStatus().isEqualTo(502)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void staleWhileRevalidateAnswersAtOnceAndRefreshesOnceInTheBackground() {
        String token = TestTokens.customer(client, "c" + NEXT_CUSTOMER.incrementAndGet());
        String orderId = newestOrder(token);
        byte[] original = getOrder(token, orderId).getResponseBody();
        long before = calls("order");

        clock.advance(Duration.ofSeconds(40)); // past the 30 s TTL, within 30 s of stale-while-revalidate
        EntityExchangeResult<byte[]> stale = getOrder(token, orderId);
        assertThat(cacheStatus(stale)).isEqualTo("surge; hit; detail=stale-while-revalidate");
        assertThat(stale.getResponseBody()).isEqualTo(original);

        // The refresh runs in the background; wait (bounded) until a read is a fresh hit again.
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        String status = Flux.interval(Duration.ofMillis(20)).onBackpressureDrop().take(250)
                .concatMap(tick -> http.get().uri("/api/v1/me/orders/{id}", orderId)
                        .headers(h -> h.setBearerAuth(token))
                        .exchangeToMono(r -> r.releaseBody()
                                .thenReturn(String.valueOf(r.headers().asHttpHeaders().getFirst("Cache-Status")))))
                .filter("surge; hit"::equals)
                .blockFirst(Duration.ofSeconds(10));
        assertThat(status).isEqualTo("surge; hit");
        assertThat(calls("order") - before).isEqualTo(1);
        JsonNode refreshed = JSON.readTree(getOrder(token, orderId).getResponseBody());
        assertThat(Instant.parse(refreshed.get("asOf").asString())).isEqualTo(clock.instant());
    }

    @Test
    void cachedReadsAnswerExactlyLikeTheFullPathAndStillRefuseExpiredTokens() {
        String customer = "c" + NEXT_CUSTOMER.incrementAndGet();
        // A token that expires in 20 s; the profile stays fresh for 5 min.
        String token = TestTokens.signed(TestTokens.DEMO_SECRET, customer, clock.instant(), 20);
        EntityExchangeResult<byte[]> full = client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk().expectBody().returnResult();
        EntityExchangeResult<byte[]> fast = client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk().expectBody().returnResult();
        assertThat(cacheStatus(full)).isEqualTo("surge; fwd=miss; stored");
        assertThat(cacheStatus(fast)).isEqualTo("surge; hit");
        assertThat(fast.getResponseBody()).isEqualTo(full.getResponseBody());
        for (String header : List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CACHE_CONTROL, HttpHeaders.ETAG,
                "X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection", "Referrer-Policy")) {
            assertThat(fast.getResponseHeaders().get(header)).as(header)
                    .isEqualTo(full.getResponseHeaders().get(header));
        }
        client.get().uri("/api/v1/me").headers(h -> {
            h.setBearerAuth(token);
            h.setIfNoneMatch(full.getResponseHeaders().getETag());
        }).exchange().expectStatus().isNotModified();

        clock.advance(Duration.ofSeconds(60)); // past the token's expiry and the 30 s skew; the profile is fresh
        client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isUnauthorized();
        // Another customer's token never reaches this customer's entry, fast path or not.
        String other = TestTokens.customer(client, "c" + NEXT_CUSTOMER.incrementAndGet());
        byte[] theirs = client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(other)).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        assertThat(JSON.readTree(theirs).get("id").asString()).isNotEqualTo(customer);
    }

    @Test
    void notFoundIsNeverCoveredByStaleData() {
        String token = TestTokens.customer(client, "c" + NEXT_CUSTOMER.incrementAndGet());
        client.get().uri("/api/v1/me/orders/O000000000001").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isNotFound();
    }

    private static String subjectOf(String token) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return JSON.readTree(payload).get("sub").asString();
    }
}
