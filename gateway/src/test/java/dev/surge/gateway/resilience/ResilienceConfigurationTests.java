package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.surge.gateway.backoffice.BackOfficeDependency;
import dev.surge.gateway.backoffice.BackOfficeProperties;
import dev.surge.gateway.backoffice.BackOfficeResilience;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The wiring alone, without a server: what is created, what switches it off, what is refused at start-up. */
@ExtendWith(OutputCaptureExtension.class)
class ResilienceConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(ResilienceConfiguration.class)
            .withBean(BackOfficeProperties.class, BackOfficeProperties::new)
            .withBean(Clock.class, Clock::systemUTC)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("surge.backoffice.base-url=http://127.0.0.1:9");

    @Test
    void everyDependencyGetsItsOwnBreakerNamedForMetricsAndHealth() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(BackOfficeResilience.class).hasBean("circuitBreakers");
            assertThat(context.getBean(CircuitBreakerRegistry.class).getAllCircuitBreakers())
                    .extracting(breaker -> breaker.getName())
                    .containsExactlyInAnyOrder("customers", "accounts", "orders", "shipping", "inventory",
                            "returns");
        });
    }

    @Test
    void switchedOffThereIsNothingToGuardWith() {
        runner.withPropertyValues("surge.resilience.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(BackOfficeResilience.class)
                        .doesNotHaveBean("circuitBreakers"));
    }

    @Test
    void settingsOutOfRangeStopTheStartWithTheAllowedRange() {
        runner.withPropertyValues("surge.resilience.retry.jitter=1.5").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("jitter between 0 and 0.99"));
        runner.withPropertyValues("surge.resilience.dependencies.orders.max-concurrent-calls=0").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("max-concurrent-calls must be between 1 and 10000"));
        runner.withPropertyValues("surge.resilience.circuit-breaker.wait-in-open-state=10ms").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("wait-in-open-state must be between 1s and 1h"));
    }

    @Test
    void bulkheadsLargerThanTheConnectionPoolAreReported(CapturedOutput output) {
        runner.withPropertyValues("surge.resilience.bulkhead.max-concurrent-calls=100")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output).contains("Bulkheads allow 600 back-office calls in flight but the pool has 320");
        assertThat(new ResilienceProperties().getBulkhead().getMaxConcurrentCalls()
                        * BackOfficeDependency.values().length)
                .as("the defaults fit the default pool")
                .isLessThanOrEqualTo(BackOfficeProperties.DEFAULT_MAX_CONNECTIONS);
    }
}
