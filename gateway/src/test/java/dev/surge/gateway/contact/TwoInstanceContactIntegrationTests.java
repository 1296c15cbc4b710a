package dev.surge.gateway.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.MutableClock;
import dev.surge.gateway.SurgeApplication;
import dev.surge.gateway.VirtualTime;
import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.demo.BackOfficeSimulator;
import dev.surge.gateway.redis.EmbeddedRedis;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/**
 * The known scenario split over two instances sharing one Redis and one clock, as behind a load balancer: a
 * customer's steps, their escalation, its accept and its abandon each on either instance. Both instances answer the
 * same figures, and they are the single instance's: the buckets, the sessions and the unions are fleet-wide, and the
 * protection figures are the sum of both instances' counters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"surge.escalation.default-handle-time=9s", TwoInstanceContactIntegrationTests.GAUGES})
@AutoConfigureWebTestClient
@Import(VirtualTime.class)
class TwoInstanceContactIntegrationTests {

    /**
     * The gauges are not what this test checks (ContactIntegrationTests does); also gives this class a context of its
     * own, apart from the one-instance test's, whose clock it would move.
     */
    static final String GAUGES = "surge.contact.gauge-interval=10m";
    private static final AtomicInteger NEXT_CUSTOMER = new AtomicInteger(98_000);
    private static ConfigurableApplicationContext second;

    @Autowired
    WebTestClient client;

    @Autowired
    MutableClock clock;

    @Autowired
    BackOfficeClient backOffice;

    @Autowired
    ContactFlush flush;

    @Autowired
    MeterRegistry registry;

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void bothInstancesAnswerTheSingleInstancesFigures(@Autowired EmbeddedRedis redis,
                                                      @Autowired BackOfficeSimulator simulator) {
        // The same clock object in both: virtual time moves for the fleet at once.
        second = new SpringApplicationBuilder(SurgeApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("sharedTestClock", clock))
                .run("--server.port=0", "--management.server.port=0",
                        "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
                        "--surge.backoffice.base-url=" + simulator.baseUrl(),
                        "--surge.escalation.default-handle-time=9s", "--" + GAUGES);
        WebTestClient other = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(10)).build();

        ContactScenario scenario = new ContactScenario(List.of(client, other), clock, backOffice, NEXT_CUSTOMER);
        scenario.beforeGap = () -> {
            flush.flushNow().block(Duration.ofSeconds(10));
            second.getBean(ContactFlush.class).flushNow().block(Duration.ofSeconds(10));
        };
        scenario.run();
        flush.flushNow().block(Duration.ofSeconds(10));
        second.getBean(ContactFlush.class).flushNow().block(Duration.ofSeconds(10));

        List<MeterRegistry> registries = List.of(registry, second.getBean(MeterRegistry.class));
        for (int instance = 0; instance < 2; instance++) {
            scenario.assertHour(scenario.summary(instance, "1h"), registries);
            scenario.assertQuarter(scenario.summary(instance, "15m"));
        }
        assertThat(ContactIntegrationTests.withoutWindow(scenario.summary(1, "24h")))
                .isEqualTo(ContactIntegrationTests.withoutWindow(scenario.summary(0, "1h")));
        JsonNode fromFirst = ContactIntegrationTests.withoutWindow(scenario.summary(0, "24h"));
        assertThat(ContactIntegrationTests.withoutWindow(scenario.summary(1, "24h"))).isEqualTo(fromFirst);
    }
}
