package dev.surge.gateway.resilience;

import java.time.Clock;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.surge.gateway.backoffice.BackOfficeDependency;
import dev.surge.gateway.backoffice.BackOfficeProperties;
import dev.surge.gateway.backoffice.BackOfficeResilience;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Time limiter, circuit breaker, bulkhead and retry per back-office dependency, their metrics and their health
 * details. Off with {@code surge.resilience.enabled=false}: the back-office client's calls then only have their time
 * limit.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "surge.resilience.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ResilienceProperties.class)
public class ResilienceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ResilienceConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    CircuitBreakerRegistry circuitBreakerRegistry() {
        return CircuitBreakerRegistry.ofDefaults();
    }

    @Bean
    @ConditionalOnMissingBean
    BulkheadRegistry bulkheadRegistry() {
        return BulkheadRegistry.ofDefaults();
    }

    @Bean
    @ConditionalOnMissingBean
    RetryRegistry retryRegistry() {
        return RetryRegistry.ofDefaults();
    }

    @Bean
    @ConditionalOnMissingBean
    TimeLimiterRegistry timeLimiterRegistry() {
        return TimeLimiterRegistry.ofDefaults();
    }

    @Bean
    @ConditionalOnMissingBean
    BackOfficeResilience backOfficeResilience(ResilienceProperties properties, BackOfficeProperties backOffice,
                                              CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads,
                                              RetryRegistry retries, TimeLimiterRegistry timeLimiters, Clock clock,
                                              MeterRegistry meters) {
        int permits = Arrays.stream(BackOfficeDependency.values()).mapToInt(properties::maxConcurrentCalls).sum();
        if (permits > backOffice.getMaxConnections()) {
            // Then the bulkheads no longer keep a slow dependency from taking connections the others need.
            log.warn("Bulkheads allow {} back-office calls in flight but the pool has {} connections; keep "
                    + "surge.resilience bulkhead sizes within surge.backoffice.max-connections", permits,
                    backOffice.getMaxConnections());
        }
        return new Resilience4jBackOfficeResilience(properties, breakers, bulkheads, retries, timeLimiters,
                backOffice::timeout, clock, meters);
    }

    /**
     * {@code resilience4j.circuitbreaker.*}, {@code resilience4j.bulkhead.*}, {@code resilience4j.retry.*},
     * {@code resilience4j.timelimiter.*}.
     */
    @Bean
    MeterBinder resilienceMetrics(CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads,
                                  RetryRegistry retries, TimeLimiterRegistry timeLimiters) {
        return registry -> {
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
            TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
            TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
            TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(registry);
        };
    }

    @Bean("circuitBreakers")
    CircuitBreakersHealthIndicator circuitBreakersHealthIndicator(CircuitBreakerRegistry breakers) {
        return new CircuitBreakersHealthIndicator(breakers);
    }
}
