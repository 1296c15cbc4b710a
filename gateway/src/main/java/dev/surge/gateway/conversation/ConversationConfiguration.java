package dev.surge.gateway.conversation;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.Background;
import dev.surge.gateway.core.TaggedCounters;
import dev.surge.gateway.queue.CustomerQueue;
import dev.surge.gateway.queue.QueueProperties;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The conversation on an escalation: its Redis store (kept as long as escalations are, with the queue's Redis
 * timeout), the API for both sides, and the teller that writes the escalation's changes into it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConversationProperties.class)
public class ConversationConfiguration {

    @Bean(destroyMethod = "destroyLater")
    ReactiveRedisMessageListenerContainer conversationContainer(ReactiveRedisConnectionFactory factory) {
        return new ReactiveRedisMessageListenerContainer(factory);
    }

    @Bean
    ConversationRepository conversationRepository(ReactiveStringRedisTemplate redis,
                                                  ReactiveRedisMessageListenerContainer conversationContainer,
                                                  ConversationProperties properties, QueueProperties queue) {
        return new ConversationRepository(redis, conversationContainer, properties, queue.retention(),
                queue.redisTimeout());
    }

    @Bean
    Conversations conversations(ConversationRepository repository, CustomerQueue queue,
                                ConversationProperties properties, MeterRegistry registry, Clock clock) {
        return new Conversations(repository, queue, properties, new TaggedCounters(registry), clock);
    }

    @Bean
    Background conversationListener(ConversationRepository repository) {
        return Background.of(repository::listen);
    }

    /**
     * Every change of every escalation, told to its conversation (agent joined, transferred, resolved): every
     * instance tells, the script tells each state once. A failure is counted and left to the next change or the next
     * follower, which tells the state again before it reads.
     */
    @Bean
    Background conversationTeller(ConversationRepository repository, CustomerQueue queue, MeterRegistry registry,
                                  Clock clock) {
        TaggedCounters counters = new TaggedCounters(registry);
        return Background.of(() -> queue.changes()
                .flatMap(change -> repository.tell(change.id(), clock.millis())
                        .onErrorResume(e -> {
                            counters.get("surge.conversation.redis.fallbacks", "operation", "tell").increment();
                            return Mono.empty();
                        }), 8));
    }
}
