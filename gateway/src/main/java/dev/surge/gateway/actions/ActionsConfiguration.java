package dev.surge.gateway.actions;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.idempotency.IdempotentWrites;
import dev.surge.gateway.journey.Journeys;
import dev.surge.gateway.queue.EscalationQueue;
import dev.surge.gateway.selfservice.CustomerReads;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/** Self-service actions, for customers and for agents on their behalf. */
@Configuration(proxyBeanMethods = false)
public class ActionsConfiguration {

    @Bean
    CustomerActions customerActions(IdempotentWrites writes, CustomerReads reads, ProblemResponses problems,
                                    Journeys journeys, EscalationQueue queue, MeterRegistry registry,
                                    JsonMapper json, Clock clock, ObjectProvider<ActionListener> listeners) {
        return new CustomerActions(writes, reads, problems, journeys, queue, new ActionMetrics(registry), json,
                clock, listeners.orderedStream().toList());
    }
}
