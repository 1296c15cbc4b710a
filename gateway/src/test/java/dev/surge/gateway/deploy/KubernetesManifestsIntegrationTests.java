package dev.surge.gateway.deploy;

import static dev.surge.gateway.deploy.Yamls.at;
import static dev.surge.gateway.deploy.Yamls.list;
import static dev.surge.gateway.deploy.Yamls.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the rendered manifests ask of the app exists in the app: every probe path answers 200 on the management
 * server, and the ServiceMonitor's path serves the metric the autoscaler scales on. The ports themselves are checked
 * against the app's configuration in {@link KubernetesManifestsTests}; here the management server takes a free port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class KubernetesManifestsIntegrationTests {

    @LocalManagementPort
    int managementPort;

    @Test
    void everyProbePathOfEveryOverlayAnswersOnTheManagementServer() {
        // In each test, not in @BeforeAll: an aborted @BeforeAll is reported as no test at all, not as skipped.
        RenderedManifests.assumeRenderer();
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
        for (String overlay : KubernetesManifestsTests.overlays()) {
            Map<String, Object> container = GatewayPod.of(RenderedManifests.render(overlay)).container();
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                String path = Objects.requireNonNull(text(at(container, probe, "httpGet", "path")), probe);
                management.get().uri(path).exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.status").isEqualTo("UP");
            }
        }
    }

    @Test
    void theScrapedPathServesTheMetricTheAutoscalerScalesOn() {
        RenderedManifests.assumeRenderer();
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
        for (String overlay : KubernetesManifestsTests.overlays()) {
            List<Map<String, Object>> objects = RenderedManifests.render(overlay);
            Map<String, Object> monitor = objects.stream().filter(o -> "ServiceMonitor".equals(o.get("kind")))
                    .findFirst().orElseThrow();
            String path = Objects.requireNonNull(text(at(monitor, "spec", "endpoints", 0, "path")));
            List<String> hpaMetrics = objects.stream().filter(o -> "HorizontalPodAutoscaler".equals(o.get("kind")))
                    .flatMap(h -> list(at(h, "spec", "metrics")).stream())
                    .map(m -> text(at(m, "pods", "metric", "name"))).filter(Objects::nonNull).toList();
            assertThat(hpaMetrics).contains(KubernetesManifestsTests.INFLIGHT_METRIC);
            String body = management.get().uri(path).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(hpaMetrics).allSatisfy(metric -> assertThat(body).containsPattern("(?m)^" + metric + "[ {]"));
        }
    }
}
