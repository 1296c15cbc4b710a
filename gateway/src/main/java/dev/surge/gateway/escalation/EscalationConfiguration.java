package dev.surge.gateway.escalation;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.surge.gateway.core.Background;
import dev.surge.gateway.journey.Journeys;
import dev.surge.gateway.queue.CustomerQueue;
import dev.surge.gateway.queue.QueueProperties;
import dev.surge.gateway.route.Routes;
import dev.surge.gateway.selfservice.CustomerReads;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/** The customer side of escalations: the intake with its hand-off and spool, and the create route. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EscalationProperties.class)
public class EscalationConfiguration {

    @Bean
    EscalationMetrics escalationMetrics(MeterRegistry registry) {
        return new EscalationMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    EscalationSpool escalationSpool(EscalationProperties properties, JsonMapper json) {
        return new EscalationSpool(properties.spoolDir(), json);
    }

    @Bean
    EscalationIntake escalationIntake(CustomerQueue queue, CustomerReads reads, Journeys journey,
                                      EscalationSpool spool, EscalationProperties properties,
                                      QueueProperties queueProperties, EscalationMetrics metrics, JsonMapper json,
                                      Clock clock, ObjectProvider<EscalationListener> listeners) {
        HandOffAssembler handOff = new HandOffAssembler(reads, journey, json, properties.contextTimeout(), clock,
                metrics);
        return new EscalationIntake(queue, handOff, spool, queueProperties, metrics, json, clock,
                listeners.orderedStream().toList());
    }

    /** The create, as a function ahead of the annotated mappings (see {@link EscalationController#create}). */
    @Bean
    RouterFunction<ServerResponse> escalationCreateRoute(EscalationController controller) {
        return RouterFunctions.route(RequestPredicates.path(Routes.ESCALATE.template()), controller::create);
    }

    @Bean
    Background escalationSpoolReplay(EscalationIntake intake, EscalationProperties properties) {
        return Background.every("spool replay", properties.spoolReplayInterval(), intake::replaySpool);
    }
}
