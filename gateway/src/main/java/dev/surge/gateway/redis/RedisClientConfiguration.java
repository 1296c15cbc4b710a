package dev.surge.gateway.redis;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.ClientOptions;

/**
 * How Lettuce behaves when Redis goes away, for every Redis user in Surge (embedded or not): commands fail at once
 * instead of queueing until Redis is back, so a dead Redis costs a request nothing but a fallback. Lettuce still
 * reconnects in the background.
 */
@Configuration(proxyBeanMethods = false)
public class RedisClientConfiguration {

    /** Warns at start-up when the state Redis may evict (anything but {@code noeviction}). */
    @Bean
    RedisMemoryPolicyCheck redisMemoryPolicyCheck(ReactiveRedisConnectionFactory factory) {
        return new RedisMemoryPolicyCheck(factory);
    }

    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    /**
     * Connect Spring Data's shared Lettuce connection at start-up, on the main thread. Left lazy, it is opened
     * synchronously by whichever thread first needs it, which would be an event loop. Lettuce reconnects that one
     * connection by itself after Redis comes back, so it never needs opening again on a request.
     */
    @Bean
    static BeanPostProcessor eagerLettuceConnection() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof LettuceConnectionFactory factory) {
                    factory.setEagerInitialization(true);
                }
                return bean;
            }
        };
    }
}
