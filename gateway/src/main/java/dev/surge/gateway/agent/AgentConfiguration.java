package dev.surge.gateway.agent;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.surge.gateway.core.Background;
import dev.surge.gateway.queue.EscalationQueue;
import io.micrometer.core.instrument.MeterRegistry;

/** The agent API and the reaper that returns expired and abandoned reservations to their queues. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AgentProperties.class)
public class AgentConfiguration {

    @Bean
    AgentMetrics agentMetrics(MeterRegistry registry) {
        return new AgentMetrics(registry);
    }

    @Bean
    ReservationReaper reservationReaper(EscalationQueue queue, AgentProperties properties, AgentMetrics metrics) {
        return new ReservationReaper(queue, properties.getPresenceTimeout(), metrics);
    }

    /** Every instance reaps: each step is re-checked atomically in Redis, so running it twice never does harm. */
    @Bean
    Background reservationReaperSchedule(ReservationReaper reaper, AgentProperties properties) {
        return Background.every("reservation reaper", properties.getReapInterval(), reaper::reap);
    }
}
