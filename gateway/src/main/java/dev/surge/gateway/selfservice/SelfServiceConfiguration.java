package dev.surge.gateway.selfservice;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.surge.gateway.cache.ResponseCache;

/** The fast path for cached reads; {@code surge.selfservice.fast-path.enabled=false} sends everything the full way. */
@Configuration(proxyBeanMethods = false)
public class SelfServiceConfiguration {

    @Bean
    @ConditionalOnBooleanProperty(name = "surge.selfservice.fast-path.enabled", matchIfMissing = true)
    CachedReadWebFilter cachedReadWebFilter(ResponseCache cache, Clock clock) {
        return new CachedReadWebFilter(cache, clock);
    }
}
