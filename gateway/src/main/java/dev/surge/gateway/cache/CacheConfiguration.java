package dev.surge.gateway.cache;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.health.DataRedisReactiveHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;

/** The two-tier response cache, its eviction listener and the Redis they use. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CacheProperties.class)
public class CacheConfiguration {

    /** The shared Redis, or the cache's own when {@code surge.cache.redis.url} is set. */
    @Bean
    CacheRedis cacheRedis(CacheProperties properties, ReactiveRedisConnectionFactory shared,
                          ClientResources resources) {
        String url = properties.getRedis().getUrl();
        return url == null || url.isBlank() ? CacheRedis.shared(shared) : CacheRedis.own(url, resources);
    }

    /**
     * The cache's own Redis as a health component ({@code cacheRedis}) next to Boot's {@code redis}: visible, never
     * part of readiness.
     */
    @Bean
    @ConditionalOnExpression("'${surge.cache.redis.url:}' != ''")
    ReactiveHealthIndicator cacheRedisHealthIndicator(CacheRedis cacheRedis) {
        return new DataRedisReactiveHealthIndicator(cacheRedis.factory());
    }

    @Bean
    TwoTierResponseCache responseCache(CacheProperties properties, CacheRedis cacheRedis,
                                       MeterRegistry registry, Clock clock) {
        ReactiveRedisConnectionFactory factory = cacheRedis.factory();
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
    ReactiveRedisMessageListenerContainer cacheEvictionContainer(CacheRedis cacheRedis) {
        return new ReactiveRedisMessageListenerContainer(cacheRedis.factory());
    }

    @Bean
    CacheEvictionSubscriber cacheEvictionSubscriber(ReactiveRedisMessageListenerContainer cacheEvictionContainer,
                                                    TwoTierResponseCache cache) {
        return new CacheEvictionSubscriber(cacheEvictionContainer, cache);
    }
}
