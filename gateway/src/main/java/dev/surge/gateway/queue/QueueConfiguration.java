package dev.surge.gateway.queue;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

import dev.surge.gateway.core.Background;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/** The agent queues in Redis, exposed as {@link EscalationQueue} (agents) and {@link CustomerQueue} (intake). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueProperties.class)
public class QueueConfiguration {

    @Bean(destroyMethod = "destroyLater")
    ReactiveRedisMessageListenerContainer escalationChangesContainer(ReactiveRedisConnectionFactory factory) {
        return new ReactiveRedisMessageListenerContainer(factory);
    }

    @Bean
    EscalationChanges escalationChanges(ReactiveRedisMessageListenerContainer escalationChangesContainer) {
        return new EscalationChanges(escalationChangesContainer);
    }

    @Bean
    Background escalationChangesListener(EscalationChanges changes) {
        return Background.of(changes::listen);
    }

    /** Both views of one queue; an application that replaces the queue replaces both. */
    @Bean
    @ConditionalOnMissingBean({EscalationQueue.class, CustomerQueue.class})
    RedisEscalationQueue escalationQueue(ReactiveStringRedisTemplate redis, JsonMapper json,
                                         QueueProperties properties, EscalationChanges changes,
                                         MeterRegistry registry, Clock clock,
                                         ObjectProvider<QueueListener> listeners) {
        return new RedisEscalationQueue(new EscalationRepository(redis, json, properties), changes,
                new QueueMetrics(registry), clock, listeners.orderedStream().toList());
    }
}
