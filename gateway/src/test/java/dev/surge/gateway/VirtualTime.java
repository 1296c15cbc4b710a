package dev.surge.gateway;

import java.time.Instant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The app's clock as a {@link MutableClock} tests move by hand. Test classes that import it (with the same
 * properties) share one application context.
 */
@TestConfiguration(proxyBeanMethods = false)
public class VirtualTime {

    @Bean
    @Primary
    public MutableClock testClock() {
        return new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    }
}
