package dev.surge.gateway;

import java.time.Instant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Makes a {@link MutableClock} the app's {@code Clock}: {@code @Import} it, then {@code @Autowired MutableClock}. */
@TestConfiguration(proxyBeanMethods = false)
public class MutableClockConfiguration {

    public static final Instant START = Instant.parse("2026-11-23T08:00:00Z");

    @Bean
    @Primary
    MutableClock testClock() {
        return new MutableClock(START);
    }
}
