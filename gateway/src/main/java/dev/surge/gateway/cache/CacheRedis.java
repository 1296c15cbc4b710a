package dev.surge.gateway.cache;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.ClientResources;

/**
 * The Redis the cache tier and its eviction channel use: the shared one ({@code spring.data.redis.*}) unless
 * {@code surge.cache.redis.url} names one of its own, which then gets a Lettuce connection of its own (on the shared
 * client resources, so no extra event loops). A cache Redis of its own may run {@code allkeys-lru}: whatever it
 * evicts is only a cache entry, never a queued escalation, which stays on the state Redis.
 *
 * <p>Not a {@link ReactiveRedisConnectionFactory} bean on purpose: Boot's Redis auto-configuration backs off when one
 * exists, and everything else must keep using {@code spring.data.redis.*}.
 */
final class CacheRedis implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CacheRedis.class);
    // As spring.data.redis.timeout / connect-timeout: the store's own timeouts (redis-timeout) are shorter anyway.
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

    private final ReactiveRedisConnectionFactory factory;
    private final @Nullable LettuceConnectionFactory own;

    private CacheRedis(ReactiveRedisConnectionFactory factory, @Nullable LettuceConnectionFactory own) {
        this.factory = factory;
        this.own = own;
    }

    static CacheRedis shared(ReactiveRedisConnectionFactory shared) {
        return new CacheRedis(shared, null);
    }

    /** Connects to the cache's own Redis at start-up (off any event loop), failing fast while it is away. */
    static CacheRedis own(String url, ClientResources resources) {
        RedisURI uri = RedisURI.create(url);
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .apply(uri)
                .clientResources(resources)
                .commandTimeout(COMMAND_TIMEOUT)
                .clientOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                        .build())
                .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                LettuceConnectionFactory.createRedisConfiguration(uri), client);
        factory.setEagerInitialization(true);
        factory.afterPropertiesSet();
        factory.start();
        log.info("Cache tier on its own Redis at {}:{}", uri.getHost(), uri.getPort());
        return new CacheRedis(factory, factory);
    }

    ReactiveRedisConnectionFactory factory() {
        return factory;
    }

    /** Whether the cache has a Redis of its own (and with it a health component of its own). */
    boolean isOwn() {
        return own != null;
    }

    @Override
    public void destroy() {
        if (own != null) {
            own.destroy();
        }
    }
}
