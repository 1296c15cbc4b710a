package dev.surge.gateway.escalation;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.cache.ResponseCache;
import dev.surge.gateway.core.Background;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/** The customer side of escalations, the queue in Redis, the spool and the journey. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EscalationProperties.class)
public class EscalationConfiguration {

    @Bean
    EscalationMetrics escalationMetrics(MeterRegistry registry) {
        return new EscalationMetrics(registry);
    }

    @Bean
    EscalationRepository escalationRepository(ReactiveStringRedisTemplate redis, JsonMapper json,
                                              EscalationProperties properties) {
        return new EscalationRepository(redis, json, properties);
    }

    @Bean(destroyMethod = "close")
    JourneyRecorder journeyRecorder(ReactiveStringRedisTemplate redis, EscalationProperties properties,
                                    EscalationMetrics metrics) {
        return new JourneyRecorder(redis, properties.getJourney(), properties.getRedisTimeout(), metrics);
    }

    @Bean
    Background journeyFlush(JourneyRecorder recorder, EscalationProperties properties) {
        return Background.every("journey flush", JourneyRecorder.tick(properties.getJourney().getFlushInterval()),
                recorder::flushNextSlice);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "surge.escalation.journey.enabled", matchIfMissing = true)
    JourneyWebFilter journeyWebFilter(JourneyRecorder recorder, Clock clock) {
        return new JourneyWebFilter(recorder, clock);
    }

    @Bean(destroyMethod = "close")
    EscalationSpool escalationSpool(EscalationProperties properties, JsonMapper json) {
        return new EscalationSpool(properties.getSpoolDir(), json);
    }

    @Bean
    EscalationIntake escalationIntake(EscalationRepository repository, BackOfficeClient backOffice,
                                      ResponseCache cache, JourneyRecorder journey, EscalationSpool spool,
                                      EscalationProperties properties, EscalationMetrics metrics, JsonMapper json,
                                      Clock clock, ObjectProvider<EscalationListener> listeners) {
        HandOffAssembler handOff = new HandOffAssembler(backOffice, cache, journey, json,
                properties.getContextTimeout(), clock, metrics);
        return new EscalationIntake(repository, handOff, spool, properties, metrics, json, clock,
                listeners.orderedStream().toList());
    }

    /** The create, as a function ahead of the annotated mappings (see {@link EscalationController#create}). */
    @Bean
    RouterFunction<ServerResponse> escalationCreateRoute(EscalationController controller) {
        return RouterFunctions.route(RequestPredicates.path("/api/v1/escalations"), controller::create);
    }

    @Bean
    Background escalationSpoolReplay(EscalationIntake intake, EscalationProperties properties) {
        return Background.every("spool replay", properties.getSpoolReplayInterval(), intake::replaySpool);
    }

    @Bean(destroyMethod = "destroyLater")
    ReactiveRedisMessageListenerContainer escalationChangesContainer(ReactiveRedisConnectionFactory factory) {
        return new ReactiveRedisMessageListenerContainer(factory);
    }

    @Bean
    EscalationChanges escalationChanges(ReactiveRedisMessageListenerContainer escalationChangesContainer) {
        return new EscalationChanges(escalationChangesContainer);
    }

    @Bean
    Background escalationChangesListener(EscalationChanges changes) {
        return Background.of(changes::listen);
    }

    @Bean
    @ConditionalOnMissingBean
    EscalationQueue escalationQueue(EscalationRepository repository, EscalationChanges changes,
                                    EscalationMetrics metrics, Clock clock) {
        return new RedisEscalationQueue(repository, changes, metrics, clock);
    }
}
