package dev.surge.gateway.journey;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.surge.gateway.core.Background;
import io.micrometer.core.instrument.MeterRegistry;

/** The journey: its recorder (read by the hand-off through {@link Journeys}), its flush and its web filter. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JourneyProperties.class)
public class JourneyConfiguration {

    @Bean(destroyMethod = "close")
    JourneyRecorder journeyRecorder(ReactiveStringRedisTemplate redis, JourneyProperties properties,
                                    MeterRegistry registry) {
        return new JourneyRecorder(redis, properties, new JourneyMetrics(registry));
    }

    @Bean
    Background journeyFlush(JourneyRecorder recorder, JourneyProperties properties) {
        return Background.every("journey flush", JourneyRecorder.tick(properties.flushInterval()),
                recorder::flushNextSlice);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "surge.escalation.journey.enabled", matchIfMissing = true)
    JourneyWebFilter journeyWebFilter(JourneyRecorder recorder, Clock clock) {
        return new JourneyWebFilter(recorder, clock);
    }
}
