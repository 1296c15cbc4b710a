package dev.surge.gateway.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real Redis queue for unit tests of other packages, without a Spring context: the same scripts the application
 * runs, over a template the test connects to its own embedded Redis. Changes are not listened to (nothing here needs
 * {@link CustomerQueue#changes()}).
 */
public final class RedisQueues {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RedisEscalationQueue queue;
    private final ReactiveRedisMessageListenerContainer container;

    public RedisQueues(ReactiveStringRedisTemplate redis, ReactiveRedisConnectionFactory factory, Clock clock) {
        QueueProperties defaults = QueueProperties.defaults();
        // A generous Redis timeout: the machine running the tests is shared, and no test here is about slowness.
        QueueProperties properties = new QueueProperties(Duration.ofSeconds(2), defaults.idempotencyTtl(),
                defaults.retention(), defaults.defaultHandleTime(), defaults.handleTimeWeight(),
                defaults.platinumBoost(), defaults.goldBoost(), defaults.activeAgentWindow(), defaults.history());
        this.container = new ReactiveRedisMessageListenerContainer(factory);
        this.queue = new RedisEscalationQueue(new EscalationRepository(redis, JSON, properties),
                new EscalationChanges(container), new QueueMetrics(new SimpleMeterRegistry()), clock, java.util.List.of());
    }

    public EscalationQueue agents() {
        return queue;
    }

    public CustomerQueue customers() {
        return queue;
    }

    /** A standard customer's waiting chat escalation of the skill, stored as the intake stores one. */
    public Escalation enqueue(String id, String customerId, Skill skill, long nowMillis) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("customerId", customerId);
        fields.put("status", EscalationStatus.QUEUED.wire());
        fields.put("waitingStatus", EscalationStatus.QUEUED.wire());
        fields.put("channel", "web");
        fields.put("reason", "other");
        fields.put("skill", skill.wire());
        fields.put("tier", "standard");
        fields.put("contact", JSON.writeValueAsString(Escalation.Contact.chat()));
        fields.put("context", "{}");
        fields.put("score", Long.toString(nowMillis));
        fields.put("createdAt", Long.toString(nowMillis));
        PendingEscalation pending = new PendingEscalation(id, skill, nowMillis, nowMillis,
                CustomerQueue.idempotencyKey("c:" + customerId, id), "fp-" + id, fields);
        queue.enqueue(pending, nowMillis, false).block(Duration.ofSeconds(5));
        return queue.find(id, nowMillis).block(Duration.ofSeconds(5));
    }

    public void close() {
        container.destroy();
    }
}
