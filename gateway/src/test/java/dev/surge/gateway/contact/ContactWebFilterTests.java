package dev.surge.gateway.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

import dev.surge.gateway.MutableClock;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.identity.Tier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the filter notes: every API request by its channel, and a verified customer's activity on a route the journey
 * records, whatever the answer; never anything else, and never an I/O. Also the recorder's bound.
 */
class ContactWebFilterTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ContactRecorder recorder = new ContactRecorder(ContactProperties.defaults(), registry);
    private final ContactWebFilter filter = new ContactWebFilter(recorder, clock);

    private void request(String path, Caller caller, String channel) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get(path);
        if (channel != null) {
            request.header(dev.surge.gateway.identity.Caller.CHANNEL_HEADER, channel);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        exchange.getAttributes().put(Caller.ATTRIBUTE, caller);
        filter.filter(exchange, e -> Mono.empty()).block(Duration.ofSeconds(1));
    }

    @Test
    void aCustomersRecordedStepsAreActivityWithTheirFirstAndLastTime() {
        Caller gold = new Caller(Caller.Kind.CUSTOMER, "c42", Tier.GOLD);
        request("/api/v1/me", gold, "web");
        clock.advance(Duration.ofSeconds(5));
        request("/api/v1/me/orders/O1", gold, "mobile");
        request("/api/v1/me", new Caller(Caller.Kind.CUSTOMER, "c43", Tier.STANDARD), "kiosk");
        // Not self-service activity: an agent, an anonymous caller, a route the journey does not record.
        request("/api/v1/agent/queues", new Caller(Caller.Kind.AGENT, "a1", Tier.STANDARD), null);
        request("/api/v1/me", Caller.ANONYMOUS, null);
        request("/api/v1/escalations/e1", gold, "web");
        // Not the API at all: not counted either way.
        request("/console/", gold, "web");

        List<ContactRecorder.Taken> taken = recorder.takeActivity();
        assertThat(taken).containsExactlyInAnyOrder(
                new ContactRecorder.Taken("c42", "gold", MutableClockStart.MILLIS, MutableClockStart.MILLIS + 5000),
                new ContactRecorder.Taken("c43", "standard", MutableClockStart.MILLIS + 5000,
                        MutableClockStart.MILLIS + 5000));
        assertThat(recorder.takeActivity()).as("taken once").isEmpty();
        // web, mobile, other, none.
        assertThat(recorder.requests()).containsExactly(2, 1, 1, 2);
    }

    @Test
    void pastTheBoundEventsAreDroppedAndCounted() {
        ContactProperties small = new ContactProperties(true, ContactProperties.DEFAULT_WINDOWS,
                Duration.ofSeconds(20), 0.8, Duration.ofMinutes(30), Duration.ofSeconds(1), Duration.ofSeconds(30),
                1000, Duration.ofMillis(500));
        ContactRecorder bounded = new ContactRecorder(small, registry);
        for (int i = 0; i < 1005; i++) {
            bounded.active("c" + (i + 1), Tier.STANDARD, i);
            bounded.abandoned(new dev.surge.gateway.queue.QueueListener.Abandoned("e" + i,
                    dev.surge.gateway.queue.Skill.ORDERS, Duration.ofSeconds(1), false, Instant.EPOCH));
        }
        assertThat(bounded.takeActivity()).hasSize(1000);
        assertThat(bounded.takeEvents()).hasSize(1000);
        assertThat(registry.get(ContactRecorder.DROPPED).tag("reason", "buffer").counter().count()).isEqualTo(10);
    }

    /** The filter's clock start, in milliseconds. */
    private static final class MutableClockStart {
        static final long MILLIS = Instant.parse("2026-11-23T08:00:00Z").toEpochMilli();
    }
}
