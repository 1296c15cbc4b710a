package dev.surge.gateway.demo;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.databind.json.JsonMapper;

/** The simulator and its controls, only when {@code surge.demo.enabled} (the demo profile). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("surge.demo.enabled")
@EnableConfigurationProperties(DemoProperties.class)
public class DemoConfiguration {

    @Bean
    DemoData demoData(DemoProperties properties, Clock clock) {
        return new DemoData(properties.getSeed(), properties.getCustomers(), properties.getSkus(), clock);
    }

    @Bean
    ChangeLedger changeLedger(DemoProperties properties) {
        return new ChangeLedger(properties.getMaxChangedCustomers());
    }

    @Bean
    DemoBackOffice demoBackOffice(DemoData data, ChangeLedger ledger, DemoProperties properties, Clock clock) {
        return new DemoBackOffice(data, ledger, new ActionRules(properties.getReturnWindow()), clock,
                properties.getIdempotencyTtl(), JsonMapper.builder().build());
    }

    @Bean
    FaultInjector faultInjector() {
        return new FaultInjector();
    }

    @Bean
    SimulatorStats simulatorStats() {
        return new SimulatorStats();
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    BackOfficeSimulator backOfficeSimulator(DemoData data, DemoBackOffice backOffice, FaultInjector faults,
                                            SimulatorStats stats, DemoProperties properties) {
        return new BackOfficeSimulator(data, backOffice, faults, stats, properties.getBackoffice().getHost(),
                properties.getBackoffice().getPort());
    }
}
