package dev.surge.gateway.cache;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.Disposable;
import reactor.util.retry.Retry;

/**
 * Listens on the eviction channel, so a write through any instance removes the old answer from this instance's near
 * cache too. Resubscribes with backoff when Redis goes away; while it is away, near entries simply live out their
 * TTL (bounded staleness, never wrong ownership).
 */
final class CacheEvictionSubscriber implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CacheEvictionSubscriber.class);

    private final ReactiveRedisMessageListenerContainer container;
    private final TwoTierResponseCache cache;
    private volatile Disposable subscription;

    CacheEvictionSubscriber(ReactiveRedisMessageListenerContainer container, TwoTierResponseCache cache) {
        this.container = container;
        this.cache = cache;
    }

    @Override
    public void start() {
        subscription = container.receive(ChannelTopic.of(RedisCacheStore.EVICTION_CHANNEL))
                .doOnNext(message -> cache.remoteEviction(message.getMessage()))
                .doOnError(e -> log.warn("cache eviction channel lost, resubscribing: {}", e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = subscription;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = subscription;
        return running != null && !running.isDisposed();
    }
}
