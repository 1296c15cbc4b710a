package dev.surge.gateway.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.surge.gateway.VirtualTime;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.identity.Tier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The journey's way into Redis: batched per hash-tag shard, spread over the flush interval one slice at a time, and
 * read back by another instance. Same context as {@link EscalationIntegrationTests} (so one embedded Redis for both).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "surge.ratelimit.enabled=false")
@AutoConfigureWebTestClient
@Import(VirtualTime.class)
class JourneyRecorderIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Autowired
    ReactiveStringRedisTemplate redis;

    SimpleMeterRegistry meters;
    JourneyRecorder writer;
    JourneyRecorder otherInstance;
    String prefix;

    @BeforeEach
    void recorders() {
        JourneyProperties properties = new JourneyProperties(true, 3, Duration.ofHours(1),
                JourneyProperties.DEFAULT_FLUSH_INTERVAL, JourneyProperties.DEFAULT_MAX_BUFFERED_CUSTOMERS,
                Duration.ofSeconds(2));
        meters = new SimpleMeterRegistry();
        writer = new JourneyRecorder(redis, properties, new JourneyMetrics(meters));
        otherInstance = new JourneyRecorder(redis, properties, new JourneyMetrics(new SimpleMeterRegistry()));
        prefix = "jr-" + UUID.randomUUID() + "-";
    }

    @Test
    void aFlushWritesEveryCustomersNewestEntriesInBatchesThatAnotherInstanceReads() {
        // 150 customers of one shard (more than one script call carries) and 100 spread over the others.
        List<String> customers = new ArrayList<>(customersOfShard(7, 150));
        for (int i = 0; customers.size() < 250; i++) {
            customers.add(prefix + "spread-" + i);
        }
        long at = 1_700_000_000_000L;
        for (String customer : customers) {
            record(customer, at, "/api/v1/me", "/api/v1/me/account");
        }
        writer.flush().block(TIMEOUT);
        for (String customer : customers) {
            record(customer, at + 1_000, "/api/v1/me/orders", "/api/v1/inventory/P1");
        }
        writer.flush().block(TIMEOUT);

        Set<Integer> shards = new HashSet<>();
        for (String customer : customers) {
            shards.add(JourneyRecorder.shard(customer));
            String key = JourneyRecorder.key(customer);
            assertThat(key).isEqualTo("surge:journey:{" + JourneyRecorder.shard(customer) + "}:" + customer);
            // Trimmed to the newest 3 in Redis, newest first, as another instance (nothing buffered there) reads it.
            assertThat(paths(otherInstance.recent(customer).block(TIMEOUT)))
                    .as(customer).containsExactly("/api/v1/inventory/{sku}", "/api/v1/me/orders",
                            "/api/v1/me/account");
            Duration ttl = redis.getExpire(key).block(TIMEOUT);
            assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
        }
        assertThat(shards).hasSizeGreaterThan(32);
        Counter dropped = meters.find("surge.escalation.journey.dropped").counter(); // made at the first drop
        assertThat(dropped == null ? 0 : dropped.count()).isZero();
    }

    @Test
    void eachTickWritesOneSliceSoEveryEntryIsWrittenWithinOneFlushInterval() {
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            customers.add(prefix + i);
        }
        long at = 1_700_000_000_000L;
        customers.forEach(customer -> record(customer, at, "/api/v1/me"));

        Set<String> written = new HashSet<>();
        for (int tick = 1; tick <= JourneyRecorder.SLICES; tick++) {
            writer.flushNextSlice().block(TIMEOUT);
            Set<String> now = new HashSet<>();
            for (String customer : customers) {
                if (Boolean.TRUE.equals(redis.hasKey(JourneyRecorder.key(customer)).block(TIMEOUT))) {
                    now.add(customer);
                }
            }
            assertThat(now).containsAll(written);
            assertThat(now.size() - written.size())
                    .as("tick %d writes one slice, not everything", tick)
                    .isGreaterThan(0).isLessThan(customers.size() / 2);
            written = now;
        }
        assertThat(written).containsExactlyInAnyOrderElementsOf(customers);
    }

    @Test
    void aRequestShedBeforeTheFiltersRanIsInTheJourneyAsA503() {
        JourneyWebFilter filter = new JourneyWebFilter(writer, Clock.fixed(Instant.parse("2026-11-24T08:00:00Z"),
                ZoneOffset.UTC));
        String customer = prefix + "shed";
        filter.shed(new Caller(Caller.Kind.CUSTOMER, customer, Tier.GOLD), "GET", "/api/v1/me/orders/O-17");
        // not part of the self-service journey, as with the filter
        filter.shed(new Caller(Caller.Kind.CUSTOMER, customer, Tier.GOLD), "POST", "/api/v1/escalations");
        filter.shed(Caller.ANONYMOUS, "GET", "/api/v1/inventory/P1");

        assertThat(writer.recent(customer).block(TIMEOUT)).containsExactly("{\"at\":\"2026-11-24T08:00:00.000Z\","
                + "\"n\":1,\"method\":\"GET\",\"path\":\"/api/v1/me/orders/{orderId}\",\"orderId\":\"O-17\","
                + "\"status\":503}");
    }

    private List<String> customersOfShard(int shard, int count) {
        List<String> found = new ArrayList<>();
        for (int i = 0; found.size() < count; i++) {
            String customer = prefix + "s" + i;
            if (JourneyRecorder.shard(customer) == shard) {
                found.add(customer);
            }
        }
        return found;
    }

    private void record(String customer, long at, String... paths) {
        for (int i = 0; i < paths.length; i++) {
            writer.record(customer, new JourneyEntry(at + i, i, "GET", paths[i], 200, null));
        }
    }

    private static List<String> paths(List<String> entries) {
        return entries.stream().map(entry -> {
            int start = entry.indexOf("\"path\":\"") + 8;
            return entry.substring(start, entry.indexOf('"', start));
        }).toList();
    }
}
