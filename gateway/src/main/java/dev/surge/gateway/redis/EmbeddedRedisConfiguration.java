package dev.surge.gateway.redis;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts an embedded Redis when it is enabled and no Redis is configured, and hands its address to Spring Boot's
 * Redis auto-configuration as connection details, so Lettuce connects only after the server is up.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EmbeddedRedisProperties.class)
@ConditionalOnBooleanProperty("surge.redis.embedded.enabled")
@Conditional(NoRedisConfiguredCondition.class)
public class EmbeddedRedisConfiguration {

    @Bean(initMethod = "start", destroyMethod = "stop")
    EmbeddedRedis embeddedRedis(EmbeddedRedisProperties properties) {
        return new EmbeddedRedis(properties.getPort(), properties.getMaxMemory().toBytes());
    }

    @Bean
    DataRedisConnectionDetails embeddedRedisConnectionDetails(EmbeddedRedis redis) {
        return new DataRedisConnectionDetails() {
            @Override
            public Standalone getStandalone() {
                return Standalone.of("127.0.0.1", redis.port());
            }
        };
    }
}
