package dev.surge.gateway.cache;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

import io.micrometer.core.instrument.MeterRegistry;

/** The two-tier response cache and its eviction listener. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CacheProperties.class)
public class CacheConfiguration {

    @Bean
    TwoTierResponseCache responseCache(CacheProperties properties, ReactiveRedisConnectionFactory factory,
                                       MeterRegistry registry, Clock clock) {
        RedisSerializationContext<String, byte[]> context = RedisSerializationContext
                .<String, byte[]>newSerializationContext(RedisSerializer.string())
                .value(RedisSerializer.byteArray())
                .build();
        CacheMetrics metrics = new CacheMetrics(registry);
        RedisCacheStore store = new RedisCacheStore(new ReactiveRedisTemplate<>(factory, context),
                properties.getRedisTimeout(), properties.getLeaseTime(), metrics);
        return new TwoTierResponseCache(properties, store, metrics, clock);
    }

    @Bean(destroyMethod = "destroyLater")
    ReactiveRedisMessageListenerContainer cacheEvictionContainer(ReactiveRedisConnectionFactory factory) {
        return new ReactiveRedisMessageListenerContainer(factory);
    }

    @Bean
    CacheEvictionSubscriber cacheEvictionSubscriber(ReactiveRedisMessageListenerContainer cacheEvictionContainer,
                                                    TwoTierResponseCache cache) {
        return new CacheEvictionSubscriber(cacheEvictionContainer, cache);
    }
}
