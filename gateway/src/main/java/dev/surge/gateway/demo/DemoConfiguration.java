package dev.surge.gateway.demo;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;

import dev.surge.gateway.core.ProblemResponses;

import tools.jackson.databind.json.JsonMapper;

/** The simulator and its controls, only when {@code surge.demo.enabled} (the demo profile). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("surge.demo.enabled")
@EnableConfigurationProperties(DemoProperties.class)
public class DemoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DemoConfiguration.class);

    /**
     * {@code /demo/**} for loopback callers only, unless exposed; exposed, nothing stands between any caller and a
     * minted agent token, which is why the start-up log says so as loudly as it can.
     */
    @Bean
    WebFilter demoExposureWebFilter(DemoProperties properties, ProblemResponses problems) {
        if (properties.isExpose()) {
            log.warn("surge.demo.expose=true: /demo/** (token minting for any customer, agent or service, and fault "
                    + "injection) answers EVERY caller that can reach this port. Only for a private test network; "
                    + "never with real data. Unset SURGE_DEMO_EXPOSE to serve it to loopback callers only.");
            return (exchange, chain) -> chain.filter(exchange);
        }
        return new DemoExposureWebFilter(problems);
    }

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
