package dev.surge.gateway.deploy;

import static dev.surge.gateway.deploy.Yamls.at;
import static dev.surge.gateway.deploy.Yamls.list;
import static dev.surge.gateway.deploy.Yamls.map;
import static dev.surge.gateway.deploy.Yamls.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Every overlay under {@code k8s/overlays/} renders, and what it renders holds what a safe rollout relies on, checked
 * without a cluster: probes on the management port at the app's own paths, resources, a non-root read-only
 * container, the spool on a claim of the pod's own where the app writes it, shutdown within the grace period, an
 * autoscaler on CPU and requests in flight, a NetworkPolicy that lets in the ingress controller and the scraper and
 * nobody else, and every ConfigMap and Secret key documented. The app's side of the probe paths and the autoscaler's
 * metric is checked against a running gateway in {@link KubernetesManifestsIntegrationTests}.
 */
class KubernetesManifestsTests {

    static final int APP_UID = 10001;
    static final String INFLIGHT_METRIC = "surge_admission_inflight";
    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");

    static List<String> overlays() {
        List<String> overlays = RenderedManifests.overlays();
        assertThat(overlays).as("overlays under k8s/overlays").contains("dev", "prod");
        return overlays;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void rendersTheGatewayAndEverythingAroundItInOneNamespace(String overlay) {
        List<Map<String, Object>> objects = RenderedManifests.render(overlay);
        assertThat(objects).extracting(o -> o.get("kind")).contains("StatefulSet", "Service", "Ingress",
                "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceMonitor", "ConfigMap");
        assertThat(objects).extracting(o -> text(at(o, "metadata", "namespace"))).doesNotContainNull()
                .containsOnly(text(at(objects.get(0), "metadata", "namespace")));
        GatewayPod.of(objects);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesAskTheManagementPortAtTheAppsOwnPaths(String overlay) {
        GatewayPod pod = GatewayPod.of(RenderedManifests.render(overlay));
        Binder app = pod.appConfiguration();
        Integer managementPort = app.bind("management.server.port", Integer.class).orElse(null);
        int serverPort = app.bind("server.port", Integer.class).orElse(8080);
        assertThat(managementPort).as("management.server.port inside the pod: application.yaml must read SURGE_MANAGEMENT_PORT "
                        + "(management.server.port: ${SURGE_MANAGEMENT_PORT:8081})")
                .isNotNull().isNotEqualTo(serverPort);
        assertThat(pod.containerPort("management")).isEqualTo(managementPort);
        assertThat(pod.containerPort("http")).isEqualTo(serverPort);

        String health = actuatorBase(app) + "/health";
        assertThat(app.bind("management.endpoint.health.probes.enabled", Boolean.class).orElse(false))
                .as("liveness and readiness groups exist").isTrue();
        assertThat(exposedEndpoints(app)).contains("health", "prometheus");
        Map<String, String> expectedPaths = Map.of(
                "startupProbe", health + "/liveness",
                "livenessProbe", health + "/liveness",
                "readinessProbe", health + "/readiness");
        expectedPaths.forEach((probe, path) -> {
            Map<String, Object> httpGet = map(at(pod.container(), probe, "httpGet"));
            assertThat(httpGet).as("%s of %s", probe, overlay).isNotEmpty();
            assertThat(httpGet.get("path")).as(probe).isEqualTo(path);
            assertThat(pod.containerPort(httpGet.get("port"))).as("%s's port", probe).isEqualTo(managementPort);
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerSetsResourcesAndRunsAsNonRootOnAReadOnlyRoot(String overlay) {
        List<Map<String, Object>> objects = RenderedManifests.render(overlay);
        for (Map<String, Object> workload : workloads(objects)) {
            Map<String, Object> podSpec = map(at(workload, "spec", "template", "spec"));
            for (Object c : list(podSpec.get("containers"))) {
                String where = at(workload, "metadata", "name") + "/" + at(c, "name");
                assertThat(at(c, "resources", "requests", "cpu")).as("%s cpu request", where).isNotNull();
                assertThat(at(c, "resources", "requests", "memory")).as("%s memory request", where).isNotNull();
                assertThat(at(c, "resources", "limits", "memory")).as("%s memory limit", where).isNotNull();
                assertThat(effective(podSpec, c, "runAsNonRoot")).as("%s runAsNonRoot", where).isEqualTo(true);
                assertThat(at(c, "securityContext", "readOnlyRootFilesystem")).as("%s read-only root", where)
                        .isEqualTo(true);
                assertThat(at(c, "securityContext", "allowPrivilegeEscalation")).as(where).isEqualTo(false);
                assertThat(list(at(c, "securityContext", "capabilities", "drop"))).as(where).contains("ALL");
            }
        }
        GatewayPod pod = GatewayPod.of(objects);
        assertThat(effective(pod.podSpec(), pod.container(), "runAsUser")).isEqualTo(APP_UID);
        assertThat(effective(pod.podSpec(), pod.container(), "runAsGroup")).isEqualTo(APP_UID);
        // Memory is not overcommitted: the JVM sizes its heap from the limit, and the pod is not evicted first.
        assertThat(at(pod.container(), "resources", "limits", "memory"))
                .isEqualTo(at(pod.container(), "resources", "requests", "memory"));
        // The JVM's temp files (and the demo profile's embedded Redis binary) need a writable /tmp.
        assertThat(volumeAt(pod, "/tmp")).containsKey("emptyDir");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theSpoolSitsOnAClaimOfThePodsOwnWhereTheAppWritesIt(String overlay) {
        GatewayPod pod = GatewayPod.of(RenderedManifests.render(overlay));
        assertThat(pod.env()).containsKey("SURGE_ESCALATION_SPOOL_DIR");
        String spoolDir = pod.appConfiguration().bind("surge.escalation.spool-dir", String.class).orElse(null);
        assertThat(spoolDir).as("surge.escalation.spool-dir inside the pod").isEqualTo(
                pod.env().get("SURGE_ESCALATION_SPOOL_DIR"));
        Map<String, Object> mount = list(pod.container().get("volumeMounts")).stream().map(Yamls::map)
                .filter(m -> spoolDir.equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at the spool dir " + spoolDir));
        assertThat(list(at(pod.workload(), "spec", "volumeClaimTemplates")))
                .as("the spool's volume is a claim per pod (volumeClaimTemplates), which outlives the pod")
                .extracting(t -> at(t, "metadata", "name")).contains(mount.get("name"));
        assertThat(at(pod.workload(), "spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"))
                .as("a scale-down keeps the claim for the pod's return").isEqualTo("Retain");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void thePodStopsTakingTrafficThenShutsDownWithinItsGracePeriod(String overlay) {
        GatewayPod pod = GatewayPod.of(RenderedManifests.render(overlay));
        int preStop = (Integer) Objects.requireNonNull(at(pod.container(), "lifecycle", "preStop", "sleep", "seconds"));
        Duration shutdown = pod.appConfiguration()
                .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElseThrow(() -> new AssertionError("no shutdown timeout"));
        assertThat(pod.appConfiguration().bind("server.shutdown", String.class).orElse("immediate"))
                .isEqualTo("graceful");
        assertThat(preStop).isPositive();
        assertThat((Integer) pod.podSpec().get("terminationGracePeriodSeconds"))
                .as("grace period > preStop + graceful shutdown, with room for the JVM to exit")
                .isGreaterThan(preStop + (int) shutdown.toSeconds());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theAutoscalerScalesTheGatewayOnCpuAndRequestsInFlight(String overlay) {
        List<Map<String, Object>> objects = RenderedManifests.render(overlay);
        GatewayPod pod = GatewayPod.of(objects);
        Map<String, Object> hpa = only(objects, "HorizontalPodAutoscaler");
        assertThat(at(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("StatefulSet");
        assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(GatewayPod.WORKLOAD_NAME);
        assertThat(at(pod.workload(), "spec", "replicas")).as("the HPA owns replicas; an apply must not reset them")
                .isNull();
        int min = (Integer) Objects.requireNonNull(at(hpa, "spec", "minReplicas"));
        int max = (Integer) Objects.requireNonNull(at(hpa, "spec", "maxReplicas"));
        assertThat(min).isPositive().isLessThanOrEqualTo(max);

        List<Object> metrics = list(at(hpa, "spec", "metrics"));
        assertThat(metrics).anySatisfy(m -> {
            assertThat(at(m, "resource", "name")).isEqualTo("cpu");
            assertThat((Integer) at(m, "resource", "target", "averageUtilization")).isBetween(1, 100);
        });
        assertThat(at(pod.container(), "resources", "requests", "cpu")).as("CPU utilisation needs a request")
                .isNotNull();
        assertThat(metrics).anySatisfy(m -> {
            assertThat(at(m, "type")).isEqualTo("Pods");
            assertThat(at(m, "pods", "metric", "name")).isEqualTo(INFLIGHT_METRIC);
            assertThat(at(m, "pods", "target", "type")).isEqualTo("AverageValue");
            assertThat(Double.parseDouble(Objects.requireNonNull(text(at(m, "pods", "target", "averageValue")))))
                    .isPositive();
        });

        Map<String, Object> pdb = only(objects, "PodDisruptionBudget");
        assertThat(selects(map(at(pdb, "spec", "selector", "matchLabels")), pod.podLabels())).isTrue();
        Object minAvailable = at(pdb, "spec", "minAvailable");
        if (minAvailable instanceof Integer floor) {
            assertThat(floor).as("a PDB at or above the HPA's minimum blocks every drain").isLessThan(min);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlyTheIngressControllerAndTheScraperMayConnectEachToItsOwnPort(String overlay) {
        List<Map<String, Object>> objects = RenderedManifests.render(overlay);
        GatewayPod pod = GatewayPod.of(objects);
        List<Map<String, Object>> policies = objects.stream()
                .filter(o -> "NetworkPolicy".equals(o.get("kind")))
                .filter(o -> selects(map(at(o, "spec", "podSelector", "matchLabels")), pod.podLabels())).toList();
        assertThat(policies).as("NetworkPolicies selecting the gateway's pods").hasSize(1);
        Map<String, Object> policy = policies.get(0);
        assertThat(list(at(policy, "spec", "policyTypes"))).contains("Ingress");

        Map<String, Object> ingressController = Map.of(
                "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "ingress-nginx")),
                "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "ingress-nginx")));
        Map<String, Object> scraper = Map.of(
                "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")),
                "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "prometheus")));
        Map<List<Object>, Set<String>> admitted = new HashMap<>();
        for (Object rule : list(at(policy, "spec", "ingress"))) {
            List<Object> from = list(at(rule, "from"));
            assertThat(from).as("a rule with no 'from' admits everyone").isNotEmpty();
            assertThat(list(at(rule, "ports"))).as("a rule with no ports admits every port").isNotEmpty();
            Set<String> ports = list(at(rule, "ports")).stream()
                    .map(p -> Objects.toString(at(p, "protocol"), "TCP") + "/" + pod.containerPort(at(p, "port")))
                    .collect(Collectors.toSet());
            admitted.merge(from, ports, (a, b) -> {
                throw new AssertionError("two rules for " + from);
            });
        }
        assertThat(admitted).isEqualTo(Map.of(
                List.of(ingressController), Set.of("TCP/" + pod.containerPort("http")),
                List.of(scraper), Set.of("TCP/" + pod.containerPort("management"))));
        for (Map<String, Object> other : objects) {
            if ("NetworkPolicy".equals(other.get("kind"))) {
                for (Object rule : list(at(other, "spec", "ingress"))) {
                    assertThat(list(at(rule, "from"))).as("%s admits everyone", at(other, "metadata", "name"))
                            .isNotEmpty();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theIngressReachesThePublicPortAndTheScraperTheMetricsPath(String overlay) {
        List<Map<String, Object>> objects = RenderedManifests.render(overlay);
        GatewayPod pod = GatewayPod.of(objects);
        Map<String, Object> ingress = only(objects, "Ingress");
        List<Object> backends = new ArrayList<>();
        for (Object rule : list(at(ingress, "spec", "rules"))) {
            for (Object path : list(at(rule, "http", "paths"))) {
                backends.add(at(path, "backend", "service"));
            }
        }
        assertThat(backends).isNotEmpty().allSatisfy(backend -> {
            Map<String, Object> service = named(objects, "Service", text(at(backend, "name")));
            assertThat(selects(map(at(service, "spec", "selector")), pod.podLabels())).isTrue();
            Object port = at(backend, "port", "name") != null ? at(backend, "port", "name") : at(backend, "port",
                    "number");
            Map<String, Object> servicePort = list(at(service, "spec", "ports")).stream().map(Yamls::map)
                    .filter(p -> Objects.equals(p.get("name"), port) || Objects.equals(p.get("port"), port))
                    .findFirst().orElseThrow(() -> new AssertionError("the ingress names a port the Service lacks"));
            assertThat(pod.containerPort(servicePort.get("targetPort"))).isEqualTo(pod.containerPort("http"));
        });

        Map<String, Object> monitor = only(objects, "ServiceMonitor");
        Map<String, Object> scraped = objects.stream().filter(o -> "Service".equals(o.get("kind")))
                .filter(s -> selects(map(at(monitor, "spec", "selector", "matchLabels")),
                        map(at(s, "metadata", "labels"))))
                .findFirst().orElseThrow(() -> new AssertionError("the ServiceMonitor selects no Service"));
        assertThat(selects(map(at(scraped, "spec", "selector")), pod.podLabels())).isTrue();
        Object endpoint = list(at(monitor, "spec", "endpoints")).get(0);
        Map<String, Object> scrapedPort = list(at(scraped, "spec", "ports")).stream().map(Yamls::map)
                .filter(p -> Objects.equals(p.get("name"), at(endpoint, "port"))).findFirst()
                .orElseThrow(() -> new AssertionError("the ServiceMonitor names a port its Service lacks"));
        assertThat(pod.containerPort(scrapedPort.get("targetPort"))).isEqualTo(pod.containerPort("management"));
        assertThat(at(endpoint, "path")).isEqualTo(actuatorBase(pod.appConfiguration()) + "/prometheus");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyConfigMapAndSecretKeyThePodsReadIsDocumented(String overlay) throws IOException {
        List<Map<String, Object>> objects = RenderedManifests.render(overlay);
        String readme = Files.readString(RenderedManifests.k8sDir().resolve("README.md"));
        List<String> readmeLines = readme.lines().toList();
        for (Map<String, Object> workload : workloads(objects)) {
            for (Object c : list(at(workload, "spec", "template", "spec", "containers"))) {
                for (Object source : list(at(c, "envFrom"))) {
                    String configMap = Objects.requireNonNull(text(at(source, "configMapRef", "name")));
                    for (String key : GatewayPod.of(objects).configMapData(configMap).keySet()) {
                        assertThat(readme).as("k8s/README.md documents ConfigMap key %s", key)
                                .contains("`" + key + "`");
                    }
                }
                for (Object entry : list(at(c, "env"))) {
                    assertThat(readme).as("k8s/README.md documents %s", at(entry, "name"))
                            .contains("`" + at(entry, "name") + "`");
                    for (String ref : List.of("secretKeyRef", "configMapKeyRef")) {
                        String name = text(at(entry, "valueFrom", ref, "name"));
                        String key = text(at(entry, "valueFrom", ref, "key"));
                        if (name != null) {
                            assertThat(readmeLines).as("a line of k8s/README.md names %s %s and its key %s", ref,
                                    name, key).anyMatch(l -> l.contains("`" + name + "`") && l.contains("`" + key + "`"));
                        }
                    }
                }
            }
        }
    }

    @Test
    void prodRunsTheProdProfileOnAnExternalRedisClusterWithACacheRedisOfItsOwn() {
        List<Map<String, Object>> objects = RenderedManifests.render("prod");
        GatewayPod pod = GatewayPod.of(objects);
        Map<String, String> env = pod.env();
        assertThat(env).containsEntry("SPRING_PROFILES_ACTIVE", "prod").doesNotContainKey("SURGE_DEMO_EXPOSE");
        assertThat(env).containsKeys("SURGE_BACKOFFICE_URL", "SURGE_JWKS_URI", "SURGE_JWT_ISSUER",
                "SURGE_JWT_AUDIENCE");
        assertThat(List.of("SURGE_BACKOFFICE_URL", "SURGE_JWKS_URI", "SURGE_JWT_ISSUER", "SURGE_JWT_AUDIENCE"))
                .allSatisfy(key -> assertThat(env.get(key)).as(key).isNotBlank());
        assertThat(env.get("SPRING_DATA_REDIS_CLUSTER_NODES").split(",")).hasSizeGreaterThanOrEqualTo(3)
                .allMatch(node -> node.trim().matches("[^:\\s]+:\\d+"));
        assertThat(env.get("SPRING_DATA_REDIS_PASSWORD")).as("the state Redis' password").startsWith("secret:");
        assertThat(env).as("a URL would make Spring Boot ignore the password").doesNotContainKey("SPRING_DATA_REDIS_URL");
        assertThat(env.get("SURGE_CACHE_REDIS_URL")).as("the cache's own Redis").startsWith("secret:");
        assertThat(workloads(objects)).as("no Redis in the cluster: prod's is external").hasSize(1);
        assertThat(text(at(pod.container(), "image"))).as("an image from your registry").contains("/");
    }

    @Test
    void devRunsARedisInTheClusterWithAofOnAndNoEviction() {
        List<Map<String, Object>> objects = RenderedManifests.render("dev");
        GatewayPod pod = GatewayPod.of(objects);
        String url = pod.env().get("SPRING_DATA_REDIS_URL");
        assertThat(url).startsWith("redis://");
        String host = url.substring("redis://".length()).replaceAll("[:/].*", "");
        Map<String, Object> service = named(objects, "Service", host);
        Map<String, Object> redis = workloads(objects).stream()
                .filter(w -> selects(map(at(service, "spec", "selector")),
                        map(at(w, "spec", "template", "metadata", "labels"))))
                .findFirst().orElseThrow(() -> new AssertionError("Service " + host + " selects no workload"));
        List<String> args = list(at(redis, "spec", "template", "spec", "containers", 0, "args")).stream()
                .map(String::valueOf).toList();
        assertThat(String.join(" ", args)).contains("--appendonly yes").contains("--maxmemory-policy noeviction");
        assertThat(list(at(redis, "spec", "volumeClaimTemplates"))).as("the AOF outlives the pod").isNotEmpty();
        assertThat(pod.env().get("SPRING_PROFILES_ACTIVE")).isEqualTo("demo");
    }

    private static String actuatorBase(Binder app) {
        return app.bind("management.endpoints.web.base-path", String.class).orElse("/actuator");
    }

    private static Set<String> exposedEndpoints(Binder app) {
        return app.bind("management.endpoints.web.exposure.include", String.class).map(s -> List.of(s.split(",")))
                .orElse(List.of()).stream().map(String::trim).collect(Collectors.toSet());
    }

    private static List<Map<String, Object>> workloads(List<Map<String, Object>> objects) {
        return objects.stream().filter(o -> WORKLOAD_KINDS.contains(o.get("kind"))).toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> objects, String kind) {
        List<Map<String, Object>> found = objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> named(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && Objects.equals(name,
                at(o, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " " + name + " is referenced, not rendered"));
    }

    /** A container's security setting, else its pod's (as the kubelet applies them). */
    private static Object effective(Map<String, Object> podSpec, Object container, String setting) {
        Object own = at(container, "securityContext", setting);
        return own != null ? own : at(podSpec, "securityContext", setting);
    }

    private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static Map<String, Object> volumeAt(GatewayPod pod, String mountPath) {
        String volume = list(pod.container().get("volumeMounts")).stream()
                .filter(m -> mountPath.equals(at(m, "mountPath"))).map(m -> text(at(m, "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + mountPath));
        return list(pod.podSpec().get("volumes")).stream().map(Yamls::map)
                .filter(v -> volume.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + volume));
    }
}
