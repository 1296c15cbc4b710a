package dev.surge.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.ProblemResponses;
import tools.jackson.databind.json.JsonMapper;

/** {@code /demo/**} answers loopback callers only, unless exposed; everyone else gets the 404 of an unknown path. */
@ExtendWith(OutputCaptureExtension.class)
class DemoExposureWebFilterTests {

    private static final InetSocketAddress REMOTE = new InetSocketAddress("203.0.113.7", 40_000);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40_000);
    private static final InetSocketAddress LOOPBACK_V6 = new InetSocketAddress("::1", 40_000);

    private final ProblemResponses problems = new ProblemResponses(JsonMapper.builder().build());
    private final WebFilter filter = new DemoExposureWebFilter(problems);

    /** Whether the request got through to the chain; the exchange holds the answer otherwise. */
    private static boolean passes(WebFilter filter, MockServerWebExchange exchange) {
        AtomicBoolean reached = new AtomicBoolean();
        WebFilterChain chain = e -> Mono.fromRunnable(() -> reached.set(true));
        filter.filter(exchange, chain).block(Duration.ofSeconds(5));
        return reached.get();
    }

    private static MockServerWebExchange post(String path, InetSocketAddress from, String... headers) {
        MockServerHttpRequest.BodyBuilder request = MockServerHttpRequest.post(path).remoteAddress(from);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return MockServerWebExchange.from(request);
    }

    @Test
    void aRemoteCallerGetsThe404ProblemOfAnUnknownPath() {
        MockServerWebExchange exchange = post("/demo/tokens", REMOTE);
        assertThat(passes(filter, exchange)).isFalse();
        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(404);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
                .contains("\"type\":\"https://surge.dev/problems/not-found\"")
                .contains("\"detail\":\"There is nothing at this path.\"")
                .contains("\"instance\":\"/demo/tokens\"")
                .doesNotContain("demo profile");
    }

    @Test
    void everyDemoPathIsGuardedForRemoteCallers() {
        for (String path : new String[] {"/demo", "/demo/", "/demo/tokens", "/demo/backoffice/faults",
                "/demo/backoffice/stats", "http://gw//demo/tokens", "/DEMO/tokens", "/demo;x/tokens", "/demo/anything/new"}) {
            assertThat(passes(filter, post(path, REMOTE))).as(path).isFalse();
        }
        for (String path : new String[] {"/api/v1/me", "/demonstration", "/api/v1/demo/tokens", "/"}) {
            assertThat(passes(filter, post(path, REMOTE))).as(path).isTrue();
        }
    }

    @Test
    void aLoopbackCallerIsServedUnlessItRelaysSomeoneElse() {
        assertThat(passes(filter, post("/demo/tokens", LOOPBACK))).isTrue();
        assertThat(passes(filter, post("/demo/tokens", LOOPBACK_V6))).isTrue();
        // A proxy or sidecar on this machine connects from loopback on behalf of someone else.
        assertThat(passes(filter, post("/demo/tokens", LOOPBACK, "X-Forwarded-For", "203.0.113.7"))).isFalse();
        assertThat(passes(filter, post("/demo/tokens", LOOPBACK, "Forwarded", "for=203.0.113.7"))).isFalse();
        assertThat(passes(filter, post("/demo/tokens", LOOPBACK, "X-Real-IP", "203.0.113.7"))).isFalse();
    }

    @Test
    void exposedTheDemoAnswersEveryoneAndTheStartUpLogSaysSoLoudly(CapturedOutput output) {
        DemoProperties properties = new DemoProperties();
        properties.setExpose(true);
        WebFilter exposed = new DemoConfiguration().demoExposureWebFilter(properties, problems);
        assertThat(passes(exposed, post("/demo/tokens", REMOTE))).isTrue();
        assertThat(output.getOut()).contains("WARN").contains("surge.demo.expose=true")
                .contains("answers EVERY caller");
    }

    @Test
    void notExposedByDefault() {
        assertThat(new DemoProperties().isExpose()).isFalse();
        WebFilter guarded = new DemoConfiguration().demoExposureWebFilter(new DemoProperties(), problems);
        assertThat(passes(guarded, post("/demo/tokens", REMOTE))).isFalse();
    }
}
