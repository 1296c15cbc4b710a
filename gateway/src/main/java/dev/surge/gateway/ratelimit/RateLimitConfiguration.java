package dev.surge.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.core.ProblemResponses;

/** Wires rate limiting: the local limiter, its filter, and the periodic sync through Redis. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitConfiguration {

    @Bean
    SlidingWindowLimiter slidingWindowLimiter(RateLimitProperties properties, Clock clock) {
        // A key idle for a day has no window left that could still decide anything.
        return new SlidingWindowLimiter(clock, properties.getMaxKeys(), Duration.ofHours(25));
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

    /**
     * Runs the sync every interval, one round at a time (a slow round delays the next, never overlaps it). Ticks run
     * on boundedElastic, not parallel: after Redis comes back, Spring Data's Lettuce factory reconnects synchronously
     * inside the first command's subscription, which must not happen on a non-blocking thread.
     */
    @Bean
    SmartLifecycle rateLimitSyncSchedule(RedisRateLimitSync sync, RateLimitProperties properties) {
        return new SmartLifecycle() {
            private volatile Disposable running;

            @Override
            public void start() {
                running = Flux.interval(properties.getSyncInterval(), Schedulers.boundedElastic())
                        .onBackpressureDrop()
                        // subscribeOn: a round that follows a slow one would otherwise start on the thread that
                        // completed it, Lettuce's event loop, and drain and dispatch from inside a completion there.
                        .concatMap(tick -> Mono.defer(sync::sync).subscribeOn(Schedulers.boundedElastic()), 1)
                        .subscribe();
            }

            @Override
            public void stop() {
                Disposable current = running;
                if (current != null) {
                    current.dispose();
                }
                running = null;
            }

            @Override
            public boolean isRunning() {
                return running != null;
            }
        };
    }
}
