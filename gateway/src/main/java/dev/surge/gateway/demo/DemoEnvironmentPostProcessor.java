package dev.surge.gateway.demo;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.surge.gateway.core.LoopbackPorts;

/**
 * On the demo profile, fixes the simulator's port before any bean exists and, unless the operator named a back
 * office, points the back-office client at the simulator. Done here rather than in a bean so the client's
 * properties are complete when they are bound.
 */
public class DemoEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "surgeDemoBackOffice";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("surge.demo.enabled", Boolean.class, false)) {
            return;
        }
        Map<String, Object> values = new HashMap<>();
        int port = environment.getProperty("surge.demo.backoffice.port", Integer.class, 0);
        if (port == 0) {
            port = LoopbackPorts.freePort();
            values.put("surge.demo.backoffice.port", port);
        }
        if (!environment.containsProperty("surge.backoffice.base-url")) {
            values.put("surge.backoffice.base-url", "http://127.0.0.1:" + port);
        }
        if (!values.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, values));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after application.yaml and profiles are loaded
    }
}
