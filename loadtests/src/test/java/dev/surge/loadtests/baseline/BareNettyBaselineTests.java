package dev.surge.loadtests.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import reactor.netty.DisposableServer;

/** The baseline must answer like the gateway does, or the ratio to it means nothing. */
class BareNettyBaselineTests {

    DisposableServer server;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = BareNettyBaseline.start(0);
    }

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAnOrderOfAboutOneKilobyteWithTheGatewaysHeaders() throws Exception {
        HttpResponse<String> response = get("/api/v1/me/orders/O000000000042");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("etag")).hasValue(BareNettyBaseline.ETAG);
        assertThat(response.headers().firstValue("cache-control")).hasValueSatisfying(v -> assertThat(v).contains("private"));
        assertThat(response.body()).startsWith("{\"id\":\"O153808545331\"").contains("\"history\"");
        assertThat(response.body().length()).isBetween(800, 1400);
    }

    @Test
    void otherPathsAre404() throws Exception {
        assertThat(get("/api/v1/me").statusCode()).isEqualTo(404);
    }
}
