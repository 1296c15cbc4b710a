package dev.surge.gateway.redis;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.lettuce.core.ClientOptions;

/**
 * How Lettuce behaves when Redis goes away, for every Redis user in Surge (embedded or not): commands fail at once
 * instead of queueing until Redis is back, so a dead Redis costs a request nothing but a fallback. Lettuce still
 * reconnects in the background.
 */
@Configuration(proxyBeanMethods = false)
public class RedisClientConfiguration {

    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
