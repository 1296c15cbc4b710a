package dev.surge.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.SurgeApplication;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.demo.BackOfficeSimulator;
import dev.surge.gateway.redis.EmbeddedRedis;
import tools.jackson.databind.json.JsonMapper;

/**
 * Limits per customer and per client address over real HTTP, shared by two instances through the real Redis, and
 * without it. The test client connects from 127.0.0.1, configured here as a trusted proxy, so its X-Forwarded-For
 * names the anonymous client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "surge.ratelimit.classes.read[0].name=burst",
        "surge.ratelimit.classes.read[0].limit=100",
        "surge.ratelimit.classes.read[0].period=1s",
        "surge.ratelimit.classes.read[1].name=quota",
        "surge.ratelimit.classes.read[1].limit=10",
        "surge.ratelimit.classes.read[1].period=1h",
        "surge.ratelimit.classes.anonymous[0].name=quota",
        "surge.ratelimit.classes.anonymous[0].limit=5",
        "surge.ratelimit.classes.anonymous[0].period=1h",
        "surge.ratelimit.trusted-proxies=127.0.0.1/32"})
@AutoConfigureWebTestClient
class RateLimitIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ConfigurableApplicationContext second;

    @Autowired
    WebTestClient client;

    @Autowired
    RedisRateLimitSync sync;

    @Autowired
    MeterRegistry registry;

    @Autowired
    ReactiveStringRedisTemplate template;

    @LocalServerPort
    int port;

    @BeforeAll
    static void noSecondYet() {
        second = null;
    }

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    private EntityExchangeResult<byte[]> me(WebTestClient via, String token) {
        return via.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange().expectBody().returnResult();
    }

    @Test
    void aCustomerOverTheLimitGets429WithHeadersWhileAnotherIsUnaffected() {
        String token = TestTokens.customer(client, "c4101");
        for (int i = 0; i < 10; i++) {
            EntityExchangeResult<byte[]> ok = me(client, token);
            assertThat(ok.getStatus().value()).isEqualTo(200);
            HttpHeaders headers = ok.getResponseHeaders();
            assertThat(headers.getFirst("RateLimit-Policy")).isEqualTo("\"burst\";q=100;w=1, \"quota\";q=10;w=3600");
            assertThat(headers.getFirst("RateLimit")).startsWith("\"quota\";r=" + (9 - i) + ";t=");
        }
        EntityExchangeResult<byte[]> limited = me(client, token);
        assertThat(limited.getStatus().value()).isEqualTo(429);
        HttpHeaders headers = limited.getResponseHeaders();
        assertThat(headers.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(Long.parseLong(headers.getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 7_200L);
        assertThat(headers.getFirst("RateLimit")).startsWith("\"quota\";r=0;t=");
        var problem = JSON.readTree(limited.getResponseBody());
        assertThat(problem.get("type").asString()).isEqualTo("https://surge.dev/problems/rate-limited");
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/me");

        String other = TestTokens.customer(client, "c4102");
        assertThat(me(client, other).getStatus().value()).isEqualTo(200);
    }

    @Test
    void anAnonymousClientIsLimitedByItsAddressAsTheTrustedProxyReportsIt() {
        for (int i = 0; i < 5; i++) {
            EntityExchangeResult<byte[]> ok = stock("203.0.113.7");
            assertThat(ok.getStatus().value()).isEqualTo(200);
            assertThat(ok.getResponseHeaders().getFirst("RateLimit-Policy")).isEqualTo("\"quota\";q=5;w=3600");
            assertThat(ok.getResponseHeaders().getFirst("RateLimit")).startsWith("\"quota\";r=" + (4 - i) + ";t=");
        }
        EntityExchangeResult<byte[]> limited = stock("203.0.113.7");
        assertThat(limited.getStatus().value()).isEqualTo(429);
        assertThat(limited.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(limited.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull();
        // another client behind the same proxy has a quota of its own, and so has the proxy itself
        assertThat(stock("198.51.100.23").getStatus().value()).isEqualTo(200);
        assertThat(client.get().uri("/api/v1/inventory/SKU-00001").exchange().expectBody().returnResult()
                .getStatus().value()).isEqualTo(200);
        // the proxy appends the address it saw: what the client wrote to the left of it is not believed, so naming
        // the exhausted address there neither borrows its limit nor escapes its own
        assertThat(stock("203.0.113.7, 198.51.100.24").getStatus().value()).isEqualTo(200);
    }

    private EntityExchangeResult<byte[]> stock(String forwardedFor) {
        return client.get().uri("/api/v1/inventory/SKU-00001").header("X-Forwarded-For", forwardedFor).exchange()
                .expectBody().returnResult();
    }

    @Test
    void twoInstancesShareTheLimitWithinTheDocumentedBound(@Autowired EmbeddedRedis redis,
                                                          @Autowired BackOfficeSimulator simulator) {
        if (second == null) {
            second = new SpringApplicationBuilder(SurgeApplication.class).run(
                    "--server.port=0",
                    "--spring.data.redis.host=127.0.0.1",
                    "--spring.data.redis.port=" + redis.port(),
                    "--surge.backoffice.base-url=" + simulator.baseUrl(),
                    "--surge.ratelimit.classes.read[0].name=quota",
                    "--surge.ratelimit.classes.read[0].limit=10",
                    "--surge.ratelimit.classes.read[0].period=1h");
        }
        WebTestClient other = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port")).build();
        RedisRateLimitSync otherSync = second.getBean(RedisRateLimitSync.class);

        String token = TestTokens.customer(client, "c4201");
        int admitted = 0;
        for (int i = 0; i < 16; i++) {
            if (me(i % 2 == 0 ? client : other, token).getStatus().value() == 200) {
                admitted++;
            }
            // One request per instance per sync interval, and the other instance may hold a quarter of the limit
            // unsent (sync-fraction 0.25): the bound is (2 - 1) × (1 + 2.5) requests over the limit.
            sync.sync().block(Duration.ofSeconds(5));
            otherSync.sync().block(Duration.ofSeconds(5));
        }
        assertThat(admitted).isBetween(10, 13);
    }

    @Test
    void withRedisStoppedLocalLimitsApplyAtOnceAndTheFallbackIsCounted(@Autowired EmbeddedRedis redis) {
        String token = TestTokens.customer(client, "c4301");
        assertThat(me(client, token).getStatus().value()).isEqualTo(200); // profile cached in the near cache
        double before = fallbacks();
        redis.stop();
        try {
            int admitted = 1;
            for (int i = 0; i < 12; i++) {
                long started = System.nanoTime();
                int status = me(client, token).getStatus().value();
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(status).isIn(200, 429);
                // nothing on this path waits for Redis: generous for a shared machine, far below any Redis wait
                assertThat(millis).as("request %d took %d ms", i, millis).isLessThan(1_000);
                if (status == 200) {
                    admitted++;
                }
            }
            assertThat(admitted).isEqualTo(10);
            // The scheduled sync may hold this batch already, its call not yet failed; a failed batch is kept and
            // sent again, so some round soon counts its failure.
            Double after = Mono.defer(() -> sync.sync().then(Mono.fromCallable(this::fallbacks)))
                    .filter(count -> count > before)
                    .repeatWhenEmpty(50, rounds -> rounds.delayElements(Duration.ofMillis(100)))
                    .block(Duration.ofSeconds(10));
            assertThat(after).isGreaterThan(before);
        } finally {
            redis.start();
        }
    }

    /**
     * Redis busy for 300 ms: a sync call times out after 50 ms, and Redis runs it afterwards. The caller's requests
     * must count once, not again in the next batch: else the caller is refused below their limit.
     */
    @Test
    void aSyncThatTimedOutWhileRedisWasBusyDoesNotCountItsRequestsTwice() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(java.time.Clock.systemUTC(), 1_000,
                Duration.ofHours(1), 0);
        RedisRateLimitSync impatient = new RedisRateLimitSync(limiter, template, Duration.ofMillis(50),
                new RateLimitMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), limiter));
        List<RateWindow> tenAnHour = List.of(new RateWindow("quota", 10, Duration.ofHours(1)));
        String caller = "c-" + java.util.UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire(RouteClass.ACTION, caller, tenAnHour).allowed()).isTrue();
        }
        // Dispatched first on the shared connection, so Redis runs the sync's script only after it.
        Mono<Long> busy = template.execute(RedisScript.of(BUSY, Long.class), List.of(), List.of("300000")).next()
                .cache();
        busy.subscribe();
        impatient.sync().block(Duration.ofSeconds(5));
        assertThat(busy.block(Duration.ofSeconds(5))).isEqualTo(1L);

        new RedisRateLimitSync(limiter, template, Duration.ofSeconds(5),
                new RateLimitMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), limiter))
                .sync().block(Duration.ofSeconds(10));
        int more = 0;
        while (limiter.tryAcquire(RouteClass.ACTION, caller, tenAnHour).allowed()) {
            more++;
        }
        assertThat(more).isEqualTo(7);
    }

    /** Keeps Redis busy for ARGV[1] microseconds (scripts run one at a time, so every other command waits). */
    private static final String BUSY = """
            local t = redis.call('TIME')
            local start = t[1] * 1000000 + t[2]
            repeat
              t = redis.call('TIME')
            until t[1] * 1000000 + t[2] - start >= tonumber(ARGV[1])
            return 1
            """;

    private double fallbacks() {
        return registry.find("surge.ratelimit.redis.fallbacks").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
