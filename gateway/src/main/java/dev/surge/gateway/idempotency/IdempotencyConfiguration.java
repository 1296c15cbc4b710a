package dev.surge.gateway.idempotency;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.micrometer.core.instrument.MeterRegistry;

/** The Idempotency-Key store of self-service actions. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdempotencyProperties.class)
public class IdempotencyConfiguration {

    @Bean
    IdempotentWrites idempotentWrites(ReactiveStringRedisTemplate redis, IdempotencyProperties properties,
                                      MeterRegistry registry) {
        return new IdempotentWrites(redis, properties, registry);
    }
}
