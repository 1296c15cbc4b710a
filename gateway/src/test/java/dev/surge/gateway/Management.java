package dev.surge.gateway;

import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The actuator's own port (management.server.port; a random one in RANDOM_PORT tests), where health, metrics and
 * info live: tests read them with {@code @LocalManagementPort int managementPort} and this client.
 */
public final class Management {

    private Management() {
    }

    public static WebTestClient client(int managementPort) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
    }
}
