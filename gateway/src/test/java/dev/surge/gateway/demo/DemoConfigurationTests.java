package dev.surge.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.surge.gateway.core.ProblemResponses;
import tools.jackson.databind.json.JsonMapper;

/** The simulator's settings are checked at start-up, with the allowed range in the message. */
class DemoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(DemoConfiguration.class)
            .withBean(Clock.class, Clock::systemUTC)
            .withBean(ProblemResponses.class, () -> new ProblemResponses(JsonMapper.builder().build()))
            .withPropertyValues("surge.demo.enabled=true");

    @Test
    void theDefaultsStartAndOutOfRangeSettingsStopTheStart() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(BackOfficeSimulator.class);
            assertThat(context.getBean(DemoProperties.class).getReturnWindow())
                    .isEqualTo(DemoProperties.DEFAULT_RETURN_WINDOW);
        });
        runner.withPropertyValues("surge.demo.return-window=0d").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("surge.demo.return-window must be between 1d and 365d"));
        runner.withPropertyValues("surge.demo.max-changed-customers=0").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("max-changed-customers must be between 1 and 1000000"));
    }
}
