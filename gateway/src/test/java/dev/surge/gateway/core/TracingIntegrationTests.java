package dev.surge.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.SimulatorControl;
import dev.surge.gateway.TestTokens;

/**
 * W3C trace context: a request's {@code traceparent} reaches the back office with the same trace id (a child of the
 * gateway's span), a request without one starts a trace the back office sees, and a failure's log line carries the
 * trace id (in the ECS JSON production logs in, when this class runs alone). An escalation records the trace id of
 * the request that created it: agents see it, its customer does not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.structured.format.console=ecs")
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class TracingIntegrationTests {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";

    @Autowired
    WebTestClient client;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @AfterEach
    void heal() {
        SimulatorControl.heal(client);
    }

    @Test
    void theCallersTraceReachesTheBackOffice() {
        String token = TestTokens.customer(client, "c31337");
        client.get().uri("/api/v1/me/account").headers(h -> {
            h.setBearerAuth(token);
            h.set("traceparent", "00-" + TRACE_ID + "-" + PARENT + "-01");
        }).exchange().expectStatus().isOk();
        Map<String, String> all = traceparents();
        assertThat(all).containsKey("GET /accounts/c31337");
        String seen = all.get("GET /accounts/c31337");
        assertThat(seen).isNotNull().matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
        assertThat(seen).as("the gateway's own span is the parent").doesNotContain(PARENT);
    }

    @Test
    void aRequestWithoutTraceStartsOne() {
        String token = TestTokens.customer(client, "c31338");
        client.get().uri("/api/v1/me/account").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();
        assertThat(traceparents().get("GET /accounts/c31338")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
    }

    @Test
    void aFailuresLogLineCarriesTheTraceIdAsJson(CapturedOutput output) {
        String token = TestTokens.customer(client, "c31339");
        SimulatorControl.faults(client, "{\"endpoints\":{\"accounts\":{\"errorRate\":1.0}}}");
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        client.get().uri("/api/v1/me/account").headers(h -> {
            h.setBearerAuth(token);
            h.set("traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
        }).exchange().expectStatus().is5xxServerError();
        List<String> lines = output.getAll().lines().filter(line -> line.contains("/api/v1/me/account")).toList();
        // The format is the JVM's last started context's (Boot sets logging up per context, and test contexts are
        // cached): plain text with the correlation id, or ECS JSON as this class asks for when it runs alone.
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).contains(traceId));
    }

    private Map<String, String> traceparents() {
        return client.get().uri("/demo/backoffice/traceparents").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, String>>() { }).returnResult()
                .getResponseBody();
    }

    @Test
    void anEscalationCarriesTheTraceIdOfItsRequestToTheAgentButNotToTheCustomer() {
        EscalationClient escalations = new EscalationClient(client, redis);
        escalations.clear();
        String traceId = "5c1c63257de34c67ade5b3a1e8a1a2b4";
        String customer = TestTokens.customer(client, "c31340");
        String id = (String) client.post().uri("/api/v1/escalations").headers(h -> {
                    h.setBearerAuth(customer);
                    h.set("Idempotency-Key", "trace-1");
                    h.set("traceparent", "00-" + traceId + "-a3ce929d0e0e4736-01");
                }).contentType(MediaType.APPLICATION_JSON).bodyValue(EscalationClient.web("delivery"))
                .exchange().expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");

        // The hand-off the claiming agent gets, and the agent view read later, both carry exactly the caller's id.
        String agent = TestTokens.agent(client, "a-trace", List.of("orders"));
        Map<String, Object> claimed = escalations.claim(agent);
        assertThat(claimed).containsEntry("id", id).containsEntry("traceId", traceId);
        assertThat(agentView(agent, id)).containsEntry("traceId", traceId);
        // Never to the customer: neither the read nor its stream's JSON names it.
        assertThat(escalations.get(customer, id)).doesNotContainKey("traceId");
        assertThat(client.get().uri("/api/v1/escalations/{id}/events", id).headers(h -> h.setBearerAuth(customer))
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseBody().take(1)
                .blockFirst(java.time.Duration.ofSeconds(5))).contains(id).doesNotContain("traceId")
                .doesNotContain(traceId);
    }

    @Test
    void anEscalationWithoutTraceparentRecordsTheTraceTheGatewayStartedForIt() {
        String customer = TestTokens.customer(client, "c31341");
        String id = new EscalationClient(client, redis).create(customer, EscalationClient.web("billing"));
        // The id the request's own work carried: the hand-off read the account from the back office in that trace.
        String seen = traceparents().get("GET /accounts/c31341");
        assertThat(seen).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        String agent = TestTokens.agent(client, "a-trace-2", List.of("billing"));
        assertThat(agentView(agent, id).get("traceId")).isEqualTo(seen.substring(3, 35));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> agentView(String agent, String id) {
        return client.get().uri("/api/v1/agent/escalations/{id}", id).headers(h -> h.setBearerAuth(agent))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }
}
