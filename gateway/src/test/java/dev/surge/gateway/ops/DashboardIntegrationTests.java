package dev.surge.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.Management;
import dev.surge.gateway.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard in the repository ({@code ops/grafana/surge.json}) queries only what the gateway exports:
 * after a little traffic (reads, a rate-limited burst, an escalation), every metric an expression names is in
 * {@code /actuator/prometheus}, with every label the expression groups by.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DashboardIntegrationTests {

    private static final Path DASHBOARD = Path.of("..", "ops", "grafana", "surge.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:surge|http|resilience4j|jvm|reactor)_[a-z0-9_]+)");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @Test
    void everySeriesTheDashboardQueriesIsExported() throws Exception {
        driveTraffic();
        Map<String, Set<String>> exported = scrape();
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").asString());
            }
        }
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
        for (String expr : expressions) {
            List<String> metrics = new ArrayList<>();
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                metrics.add(m.group(1));
            }
            assertThat(metrics).as("metrics in %s", expr).isNotEmpty();
            Set<String> grouped = new HashSet<>();
            Matcher by = BY.matcher(expr);
            while (by.find()) {
                for (String label : by.group(1).split(",")) {
                    grouped.add(label.trim());
                }
            }
            for (String metric : metrics) {
                assertThat(exported).as("%s (in %s) is exported", metric, expr).containsKey(metric);
                assertThat(exported.get(metric)).as("labels of %s", metric).containsAll(grouped);
            }
        }
    }

    private void driveTraffic() {
        String token = TestTokens.customer(client, "c777");
        for (int i = 0; i < 3; i++) {
            client.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();
        }
        // Past the read burst (20 a second): some are refused.
        boolean limited = false;
        for (int i = 0; i < 30 && !limited; i++) {
            limited = client.get().uri("/api/v1/me/account").headers(h -> h.setBearerAuth(token)).exchange()
                    .returnResult(Void.class).getStatus().value() == 429;
        }
        assertThat(limited).isTrue();
        String other = TestTokens.customer(client, "c778");
        client.post().uri("/api/v1/escalations").headers(h -> {
            h.setBearerAuth(other);
            h.set("Idempotency-Key", UUID.randomUUID().toString());
        }).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "delivery", "channel", "web", "message", "Where is it?"))
                .exchange().expectStatus().isAccepted();
    }

    /** Metric name to the label names any of its series carries. */
    private Map<String, Set<String>> scrape() {
        String text = Management.client(managementPort).get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        Map<String, Set<String>> exported = new HashMap<>();
        for (String line : text.lines().toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{');
            String name = end > 0 ? line.substring(0, end) : line.substring(0, line.indexOf(' '));
            Set<String> labels = exported.computeIfAbsent(name, k -> new HashSet<>());
            Matcher label = LABEL.matcher(end > 0 ? line.substring(end) : "");
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        return exported;
    }
}
