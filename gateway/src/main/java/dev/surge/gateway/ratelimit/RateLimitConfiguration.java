package dev.surge.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.core.Background;
import dev.surge.gateway.core.ProblemResponses;

/** Wires rate limiting: the local limiter, its filter, and the periodic sync through Redis. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitConfiguration {

    @Bean
    SlidingWindowLimiter slidingWindowLimiter(RateLimitProperties properties, Clock clock) {
        // A key idle for a day has no window left that could still decide anything.
        return new SlidingWindowLimiter(clock, properties.getMaxKeys(), Duration.ofHours(25),
                properties.getSyncFraction());
    }

    @Bean
    RateLimitMetrics rateLimitMetrics(MeterRegistry registry, SlidingWindowLimiter limiter) {
        return new RateLimitMetrics(registry, limiter);
    }

    @Bean
    RateLimitWebFilter rateLimitWebFilter(SlidingWindowLimiter limiter, RateLimitProperties properties,
                                          ProblemResponses problems, RateLimitMetrics metrics) {
        return new RateLimitWebFilter(limiter, properties, problems, metrics);
    }

    @Bean
    RedisRateLimitSync redisRateLimitSync(SlidingWindowLimiter limiter, ReactiveStringRedisTemplate redis,
                                          RateLimitProperties properties, RateLimitMetrics metrics) {
        return new RedisRateLimitSync(limiter, redis, properties.getRedisTimeout(), metrics);
    }

    /** Runs the sync every interval, one round at a time: a slow round delays the next, never overlaps it. */
    @Bean
    Background rateLimitSyncSchedule(RedisRateLimitSync sync, RateLimitProperties properties) {
        return Background.every("rate-limit sync", properties.getSyncInterval(), sync::sync);
    }
}
