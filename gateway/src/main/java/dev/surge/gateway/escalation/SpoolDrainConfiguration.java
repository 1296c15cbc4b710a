package dev.surge.gateway.escalation;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The spool's last replay at shutdown (EscalationSpoolDrain). */
@Configuration(proxyBeanMethods = false)
class SpoolDrainConfiguration {

    @Bean
    EscalationSpoolDrain escalationSpoolDrain(EscalationIntake intake) {
        return new EscalationSpoolDrain(intake);
    }
}
