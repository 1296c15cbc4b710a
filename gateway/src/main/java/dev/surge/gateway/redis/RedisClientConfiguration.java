package dev.surge.gateway.redis;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

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

    /**
     * Replies are handed to Lettuce's computation threads, not run on the one I/O thread that reads every reply of
     * the shared connection. Otherwise whatever follows a reply (rendering a 503 with a waiting-room ticket, an
     * escalation's 202, a cache fill) runs on that thread, and under load it becomes the gateway's bottleneck: the
     * replies behind it wait, and calls with a short timeout (a ticket's 50 ms) time out although Redis answered in
     * microseconds. Lettuce keeps each publisher on one thread, so ordering is unchanged.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer repliesOffTheIoThread() {
        return options -> options.publishOnScheduler(true);
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
