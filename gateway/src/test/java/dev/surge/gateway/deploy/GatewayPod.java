package dev.surge.gateway.deploy;

import static dev.surge.gateway.deploy.Yamls.at;
import static dev.surge.gateway.deploy.Yamls.list;
import static dev.surge.gateway.deploy.Yamls.map;
import static dev.surge.gateway.deploy.Yamls.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The gateway's pod as an overlay renders it, and what the application will make of it: the app's own
 * {@code application.yaml} and profile file, with the pod's environment (its ConfigMap and env entries) over them, as
 * Spring Boot reads them in the container. So a test can ask "which port does management listen on there?" rather
 * than trust a comment.
 */
final class GatewayPod {

    static final String WORKLOAD_NAME = "surge-gateway";
    static final String CONTAINER_NAME = "gateway";

    private final List<Map<String, Object>> objects;
    private final Map<String, Object> workload;
    private final Map<String, Object> container;
    private final Map<String, String> env;

    private GatewayPod(List<Map<String, Object>> objects) {
        this.objects = objects;
        this.workload = objects.stream()
                .filter(o -> "StatefulSet".equals(o.get("kind")) && WORKLOAD_NAME.equals(at(o, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no StatefulSet " + WORKLOAD_NAME + " rendered"));
        this.container = list(at(podSpec(), "containers")).stream().map(Yamls::map)
                .filter(c -> CONTAINER_NAME.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + CONTAINER_NAME + " in " + WORKLOAD_NAME));
        this.env = resolveEnv();
    }

    static GatewayPod of(List<Map<String, Object>> objects) {
        return new GatewayPod(objects);
    }

    Map<String, Object> workload() {
        return workload;
    }

    Map<String, Object> podSpec() {
        return map(at(workload, "spec", "template", "spec"));
    }

    Map<String, Object> container() {
        return container;
    }

    Map<String, Object> podLabels() {
        return map(at(workload, "spec", "template", "metadata", "labels"));
    }

    /** The container's environment: literal values as they are, secret references as {@code secret:NAME/KEY}. */
    Map<String, String> env() {
        return env;
    }

    /** The container port a probe, Service or policy names (by name or number). */
    int containerPort(Object nameOrNumber) {
        if (nameOrNumber instanceof Integer number) {
            return number;
        }
        return list(container.get("ports")).stream().map(Yamls::map)
                .filter(p -> Objects.equals(p.get("name"), nameOrNumber))
                .map(p -> (Integer) p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + nameOrNumber));
    }

    /** Spring Boot's view of the app's configuration inside this pod. */
    Binder appConfiguration() {
        ConfigurableEnvironment environment = new AbstractEnvironment() { };
        // Named as the real one, so that relaxed binding maps SURGE_ESCALATION_SPOOL_DIR to surge.escalation.spool-dir.
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(env)));
        String profiles = env.getOrDefault("SPRING_PROFILES_ACTIVE", defaultProfile());
        for (String profile : profiles.split(",")) {
            load(environment, "application-" + profile.trim() + ".yaml");
        }
        load(environment, "application.yaml");
        return Binder.get(environment);
    }

    private static String defaultProfile() {
        ConfigurableEnvironment base = new AbstractEnvironment() { };
        load(base, "application.yaml");
        return Binder.get(base).bind("spring.profiles.default", String.class).orElse("default");
    }

    private static void load(ConfigurableEnvironment environment, String file) {
        ClassPathResource resource = new ClassPathResource(file);
        assertThat(resource.exists()).as("the app has no %s", file).isTrue();
        try {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load(file, resource)) {
                environment.getPropertySources().addLast(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> resolveEnv() {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Object source : list(container.get("envFrom"))) {
            String configMap = text(at(source, "configMapRef", "name"));
            if (configMap != null) {
                configMapData(configMap).forEach(resolved::put);
            }
            String secret = text(at(source, "secretRef", "name"));
            if (secret != null) {
                throw new AssertionError("envFrom secretRef " + secret + ": name each secret key in env instead, so "
                        + "that k8s/README.md can document it");
            }
        }
        for (Object entry : list(container.get("env"))) {
            String name = Objects.requireNonNull(text(at(entry, "name")));
            String value = text(at(entry, "value"));
            String secret = text(at(entry, "valueFrom", "secretKeyRef", "name"));
            String configMap = text(at(entry, "valueFrom", "configMapKeyRef", "name"));
            if (secret != null) {
                resolved.put(name, "secret:" + secret + "/" + text(at(entry, "valueFrom", "secretKeyRef", "key")));
            } else if (configMap != null) {
                resolved.put(name, configMapData(configMap)
                        .get(Objects.requireNonNull(text(at(entry, "valueFrom", "configMapKeyRef", "key")))));
            } else {
                resolved.put(name, value == null ? "" : value);
            }
        }
        return resolved;
    }

    /** The data of a ConfigMap the overlay renders; a reference to one it does not render fails. */
    Map<String, String> configMapData(String name) {
        Map<String, Object> configMap = objects.stream()
                .filter(o -> "ConfigMap".equals(o.get("kind")) && name.equals(at(o, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("ConfigMap " + name + " is referenced, not rendered"));
        Map<String, String> data = new LinkedHashMap<>();
        map(configMap.get("data")).forEach((k, v) -> data.put(k, String.valueOf(v)));
        return data;
    }
}
