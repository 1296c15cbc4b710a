package dev.surge.gateway.demo;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The simulator and its controls, only when {@code surge.demo.enabled} (the demo profile). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("surge.demo.enabled")
@EnableConfigurationProperties(DemoProperties.class)
public class DemoConfiguration {

    @Bean
    DemoData demoData(DemoProperties properties) {
        return new DemoData(properties.getSeed(), properties.getCustomers(), properties.getSkus());
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
    BackOfficeSimulator backOfficeSimulator(DemoData data, FaultInjector faults, SimulatorStats stats,
                                            DemoProperties properties) {
        return new BackOfficeSimulator(data, faults, stats, properties.getBackoffice().getHost(),
                properties.getBackoffice().getPort());
    }
}
