package dev.surge.gateway.admission;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import io.micrometer.core.instrument.MeterRegistry;

import dev.surge.gateway.core.ProblemResponses;

/** Wires adaptive admission: the limit algorithm, the priority limiter and its filter. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdmissionProperties.class)
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

    @Bean
    AdmissionMetrics admissionMetrics(MeterRegistry registry, PriorityLimiter limiter) {
        return new AdmissionMetrics(registry, limiter);
    }

    @Bean
    AdmissionWebFilter admissionWebFilter(PriorityLimiter limiter, AdmissionProperties properties,
                                          ProblemResponses problems, AdmissionMetrics metrics) {
        return new AdmissionWebFilter(limiter, properties, problems, metrics);
    }
}
