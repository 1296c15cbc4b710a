package dev.surge.gateway.contact;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

import dev.surge.gateway.core.Background;
import dev.surge.gateway.journey.JourneyProperties;
import dev.surge.gateway.journey.Journeys;
import dev.surge.gateway.queue.EscalationQueue;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Contact metrics: the recorder (also the escalation, action and queue listener), its web filter, the flush and the
 * gauges' refresh in the background, and the reader behind the ops summary. Off with
 * {@code surge.contact.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ContactProperties.class)
@ConditionalOnBooleanProperty(name = "surge.contact.enabled", matchIfMissing = true)
public class ContactConfiguration {

    @Bean
    ContactRecorder contactRecorder(ContactProperties properties, MeterRegistry registry) {
        return new ContactRecorder(properties, registry);
    }

    @Bean
    ContactWebFilter contactWebFilter(ContactRecorder recorder, Clock clock) {
        return new ContactWebFilter(recorder, clock);
    }

    @Bean
    ContactFlush contactFlush(ReactiveStringRedisTemplate redis, ContactRecorder recorder, Journeys journeys,
                              JourneyProperties journey, JsonMapper json, ContactProperties properties,
                              MeterRegistry registry, Clock clock) {
        // An escalation's failed step is read once every instance's journey has been written: one journey flush
        // interval after it, and a second for the write itself.
        return new ContactFlush(redis, recorder, new ProtectionSampler(registry, recorder), journeys, json,
                properties, clock, journey.flushInterval().plusSeconds(1));
    }

    @Bean
    Background contactFlushTask(ContactFlush flush, ContactProperties properties) {
        return Background.every("contact flush", properties.flushInterval(), flush::tick);
    }

    /**
     * HyperLogLogs are binary strings: read and copied as bytes, over the same shared connection as every other
     * Redis user (the factory shares one Lettuce connection).
     */
    @Bean
    ContactReader contactReader(ReactiveStringRedisTemplate redis, ReactiveRedisConnectionFactory factory,
                                EscalationQueue queue, ContactProperties properties, Clock clock) {
        RedisSerializationContext<String, byte[]> context = RedisSerializationContext
                .<String, byte[]>newSerializationContext(RedisSerializer.byteArray())
                .key(RedisSerializer.string()).hashKey(RedisSerializer.string()).build();
        return new ContactReader(redis, new ReactiveRedisTemplate<>(factory, context), queue, properties, clock);
    }

    @Bean
    ContactGauges contactGauges(ContactReader reader, ContactProperties properties, MeterRegistry registry) {
        return new ContactGauges(reader, properties, registry);
    }

    @Bean
    Background contactGaugesTask(ContactGauges gauges, ContactProperties properties) {
        return Background.every("contact gauges", properties.gaugeInterval(), gauges::refresh);
    }
}
