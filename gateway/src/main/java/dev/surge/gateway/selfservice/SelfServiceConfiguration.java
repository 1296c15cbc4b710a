package dev.surge.gateway.selfservice;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.cache.ResponseCache;
import tools.jackson.databind.json.JsonMapper;

/**
 * The customer's reads ({@link CustomerReads}, shared with the hand-off) and the fast path for cached reads;
 * {@code surge.selfservice.fast-path.enabled=false} sends everything the full way.
 */
@Configuration(proxyBeanMethods = false)
public class SelfServiceConfiguration {

    @Bean
    CustomerReads customerReads(BackOfficeClient backOffice, ResponseCache cache, JsonMapper json, Clock clock) {
        return new CustomerReads(backOffice, cache, json, clock);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "surge.selfservice.fast-path.enabled", matchIfMissing = true)
    CachedReadWebFilter cachedReadWebFilter(CustomerReads reads, Clock clock) {
        return new CachedReadWebFilter(reads, clock);
    }
}
