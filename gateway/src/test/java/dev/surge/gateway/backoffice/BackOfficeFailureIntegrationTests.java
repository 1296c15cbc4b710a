package dev.surge.gateway.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.Management;
import dev.surge.gateway.TestTokens;

/**
 * A failing or slow back office (driven through the simulator's fault endpoint) gives customers 502 or 504
 * problem+json quickly, and the gateway itself stays alive and recovers when the back office does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "surge.backoffice.timeout=300ms")
@AutoConfigureWebTestClient
class BackOfficeFailureIntegrationTests {

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    private WebTestClient management() {
        return Management.client(managementPort);
    }

    /** Each test reads a customer no other test has read, so its keys are cold and the back office is asked. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_CUSTOMER = new java.util.concurrent.atomic.AtomicInteger(2000);

    String token;

    @BeforeEach
    void token() {
        token = TestTokens.customer(client, "c" + NEXT_CUSTOMER.incrementAndGet());
    }

    @AfterEach
    void healBackOffice() {
        client.delete().uri("/demo/backoffice/faults").exchange().expectStatus().is2xxSuccessful();
    }

    private void faults(String json) {
        client.put().uri("/demo/backoffice/faults").contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec me() {
        return client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange();
    }

    @Test
    void failingBackOfficeGives502AndTheGatewayStaysHealthy() {
        faults("{\"latencyMs\":0,\"errorRate\":1.0}");
        me().expectStatus().isEqualTo(502)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(502)
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/backoffice-unavailable")
                .jsonPath("$.detail").isNotEmpty();
        management().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();

        client.delete().uri("/demo/backoffice/faults").exchange().expectStatus().is2xxSuccessful();
        // Failures are not cached: the next read asks the back office again and succeeds.
        me().expectStatus().isOk();
    }

    @Test
    void slowBackOfficeGives504AfterTheConfiguredTimeout(@Autowired MeterRegistry registry) {
        faults("{\"latencyMs\":2000,\"errorRate\":0.0}");
        double timedOut = timeLimiterTimeouts(registry);
        me().expectStatus().isEqualTo(504)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(504)
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/backoffice-timeout");
        // every attempt was cut by the customers dependency's time limiter, retries included
        assertThat(timeLimiterTimeouts(registry) - timedOut).isEqualTo(3);
        management().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    private static double timeLimiterTimeouts(MeterRegistry registry) {
        Counter counter = registry.find("resilience4j.timelimiter.calls")
                .tags("name", "customers", "kind", "timeout").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aFaultOnOneEndpointLeavesTheOthersAnswering() {
        faults("{\"latencyMs\":0,\"errorRate\":0.0,\"endpoints\":{\"accounts\":{\"latencyMs\":0,\"errorRate\":1.0}}}");
        client.get().uri("/api/v1/me/account").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isEqualTo(502);
        me().expectStatus().isOk();
    }

    @Test
    void statsCountEveryBackOfficeCall() {
        long before = total();
        me().expectStatus().isOk();
        client.get().uri("/api/v1/inventory/SKU-0{n}", NEXT_CUSTOMER.get() % 10000).exchange().expectStatus().isOk();
        client.get().uri("/demo/backoffice/stats").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo((int) before + 2);
    }

    private long total() {
        return ((Number) client.get().uri("/demo/backoffice/stats").exchange().expectStatus().isOk()
                .expectBody(java.util.Map.class).returnResult().getResponseBody().get("total")).longValue();
    }

    @Test
    void healthReportsRedisAndTheBackOfficeWhileReadinessIsTheInstanceAlone() {
        management().get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP")
                .jsonPath("$.components.backOffice.status").isEqualTo("UP");
        management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.readinessState.status").isEqualTo("UP")
                .jsonPath("$.components.redis").doesNotExist()
                .jsonPath("$.components.backOffice").doesNotExist();
    }

    @Test
    void prometheusMetricsAreExposed() {
        management().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> org.assertj.core.api.Assertions.assertThat(body)
                        .contains("jvm_memory_used_bytes"));
    }
}
