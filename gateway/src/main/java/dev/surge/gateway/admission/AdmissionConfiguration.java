package dev.surge.gateway.admission;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.core.scheduler.Schedulers;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;

import dev.surge.gateway.core.Background;
import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.security.VerifiedTokens;

/** Wires adaptive admission: the limit algorithm, the priority limiter, the waiting room and the filter. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AdmissionProperties.class, WaitingRoomProperties.class})
public class AdmissionConfiguration {

    @Bean
    PriorityLimiter priorityLimiter(AdmissionProperties properties) {
        Limit limit = properties.getFixedLimit() > 0
                ? FixedLimit.of(properties.getFixedLimit())
                // Windowed: samples are gathered lock-free and Gradient2 (synchronized) sees one aggregate per window
                // instead of one call per request from every event loop.
                : WindowedLimit.newBuilder().build(Gradient2Limit.newBuilder()
                        .initialLimit(properties.getInitialLimit())
                        .minLimit(properties.getMinLimit())
                        .maxConcurrency(properties.getMaxLimit())
                        .build());
        return new PriorityLimiter(limit, System::nanoTime, properties.effectiveShares());
    }

    /** On the server's event loops: Boot runs the server on the resource factory's loops. */
    @Bean(initMethod = "start", destroyMethod = "stop")
    LoopLag loopLag(ReactorResourceFactory resources, AdmissionProperties properties, MeterRegistry registry) {
        return new LoopLag(resources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE),
                properties.getLoopLag().getInterval(), System::nanoTime, registry);
    }

    @Bean
    AdmissionMetrics admissionMetrics(MeterRegistry registry, PriorityLimiter limiter) {
        return new AdmissionMetrics(registry, limiter);
    }

    @Bean
    AdmissionWebFilter admissionWebFilter(PriorityLimiter limiter, AdmissionProperties properties,
                                          ProblemResponses problems, AdmissionMetrics metrics, WaitingRoom room) {
        return new AdmissionWebFilter(limiter, properties, problems, metrics, room);
    }

    @Bean
    EarlyShed earlyShed(PriorityLimiter limiter, AdmissionProperties properties, AdmissionMetrics metrics,
                        WaitingRoom room, VerifiedTokens tokens, ProblemResponses problems,
                        ObjectProvider<EarlyShedListener> listeners, MeterRegistry registry) {
        return new EarlyShed(limiter, properties, metrics, room, tokens, problems, listeners.orderedStream().toList(),
                registry);
    }

    /**
     * Puts an {@link EarlyShedHandler} right behind the HTTP/1.1 codec of every server connection. The gate is
     * looked up per connection, not injected: the server's factory, and so this customizer, is made before the
     * beans the gate needs, and no connection arrives before they exist.
     */
    @Bean
    NettyServerCustomizer earlyShedHandler(ObjectProvider<EarlyShed> gate) {
        return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NettyPipeline.HttpCodec) != null) {
                pipeline.addAfter(NettyPipeline.HttpCodec, EarlyShedHandler.NAME,
                        new EarlyShedHandler(gate.getObject()));
            }
        });
    }

    @Bean
    WaitingRoom waitingRoom(WaitingRoomProperties properties, ReactiveStringRedisTemplate redis,
                            PriorityLimiter limiter, Clock clock, MeterRegistry registry) {
        // Disabled, the room never signs anything; a throwaway key keeps it simple without a secret configured.
        String secret = properties.isEnabled() && properties.getSecret() != null ? properties.getSecret()
                : UUID.randomUUID().toString() + UUID.randomUUID();
        return new WaitingRoom(properties, new TicketSigner(secret), new RedisWaitingRoomStore(redis), limiter, clock,
                Schedulers.parallel(), registry);
    }

    @Bean
    WaitingRoomController waitingRoomController(WaitingRoom room) {
        return new WaitingRoomController(room);
    }

    /**
     * Polls five times per advance interval and lets the app's clock decide when a tick is due ({@link
     * WaitingRoom#tickIfDue}), so tests with a clock of their own tick by hand.
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "surge.admission.waiting-room.enabled")
    Background waitingRoomTicks(WaitingRoom room, WaitingRoomProperties properties) {
        Duration poll = Duration.ofMillis(Math.max(10, properties.getAdvanceInterval().toMillis() / 5));
        return Background.every("waiting-room tick", poll, room::tickIfDue);
    }
}
