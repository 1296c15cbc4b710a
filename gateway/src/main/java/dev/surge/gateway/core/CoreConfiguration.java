package dev.surge.gateway.core;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.server.WebFilter;
import tools.jackson.databind.json.JsonMapper;

import io.micrometer.core.instrument.MeterRegistry;

/** Wires the pieces every feature relies on: problem responses and request limits. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpProperties.class)
public class CoreConfiguration {

    /** The clock every time-based decision reads, replaceable in tests. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Shared dependencies' health as gauges, since readiness no longer carries it. */
    @Bean
    DependencyHealthGauges dependencyHealthGauges(ReactiveHealthContributorRegistry contributors,
                                                  MeterRegistry registry) {
        return new DependencyHealthGauges(contributors, registry);
    }

    @Bean
    ProblemResponses problemResponses(JsonMapper json) {
        return new ProblemResponses(json);
    }

    @Bean
    WebExceptionHandler problemWebExceptionHandler(ProblemResponses responses, Clock clock) {
        return new ProblemWebExceptionHandler(responses, clock);
    }

    @Bean
    WebFilter requestBodyLimitWebFilter(HttpProperties properties, ProblemResponses responses) {
        return new RequestBodyLimitWebFilter(properties.getMaxRequestBody().toBytes(), responses);
    }
}
