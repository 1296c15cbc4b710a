package dev.surge.gateway.resilience;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import dev.surge.gateway.backoffice.BackOfficeDependency;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Circuit breaker, bulkhead and retry of every back-office dependency, under {@code surge.resilience}. The settings
 * apply to each dependency separately (each has its own breaker and bulkhead); a dependency can override the ones
 * under {@code surge.resilience.dependencies.<name>}. The time limit of each attempt is the dependency's
 * {@code surge.backoffice.timeout}.
 */
@Validated
@ConfigurationProperties("surge.resilience")
public class ResilienceProperties {

    public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;
    public static final int DEFAULT_SLOW_CALL_RATE_THRESHOLD = 80;
    public static final Duration DEFAULT_SLOW_CALL_DURATION = Duration.ofSeconds(1);
    public static final int DEFAULT_SLIDING_WINDOW_SIZE = 50;
    public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 20;
    public static final Duration DEFAULT_WAIT_IN_OPEN_STATE = Duration.ofSeconds(30);
    public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 5;
    /** 6 dependencies × 50 stays within the back office's default pool of 320 connections. */
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 50;
    public static final Duration DEFAULT_BULKHEAD_RETRY_AFTER = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(50);
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    public static final double DEFAULT_BACKOFF_JITTER = 0.5;

    /** Whether back-office calls are guarded at all; off, every call is made once, unguarded. Default true. */
    private boolean enabled = true;

    @Valid
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    @Valid
    private final Bulkhead bulkhead = new Bulkhead();

    @Valid
    private final Retry retry = new Retry();

    /** Per-dependency overrides, keyed by dependency name (customers, accounts, orders, shipping, inventory,
     * returns). */
    private Map<BackOfficeDependency, @Valid Dependency> dependencies = new EnumMap<>(BackOfficeDependency.class);

    /** When a dependency's calls are stopped for a while, and how it is probed before they resume. */
    public static class CircuitBreaker {

        /** Percentage of failed calls (502, 504) in the window that opens the breaker. Default 50, 1 to 100. */
        @Min(value = 1, message = "surge.resilience.circuit-breaker.failure-rate-threshold must be between 1 and 100")
        @Max(value = 100, message = "surge.resilience.circuit-breaker.failure-rate-threshold must be between 1 and 100")
        private int failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;

        /** Percentage of slow calls in the window that opens the breaker. Default 80, 1 to 100. */
        @Min(value = 1, message = "surge.resilience.circuit-breaker.slow-call-rate-threshold must be between 1 and 100")
        @Max(value = 100,
                message = "surge.resilience.circuit-breaker.slow-call-rate-threshold must be between 1 and 100")
        private int slowCallRateThreshold = DEFAULT_SLOW_CALL_RATE_THRESHOLD;

        /** A call taking longer than this is slow. Default 1s (half the default timeout), 10ms to 60s. */
        private Duration slowCallDuration = DEFAULT_SLOW_CALL_DURATION;

        /** How many of the latest calls the rates are computed over. Default 50, 1 to 10000. */
        @Min(value = 1, message = "surge.resilience.circuit-breaker.sliding-window-size must be between 1 and 10000")
        @Max(value = 10000,
                message = "surge.resilience.circuit-breaker.sliding-window-size must be between 1 and 10000")
        private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;

        /** Fewest calls in the window before the rates are judged at all. Default 20, 1 to 10000. */
        @Min(value = 1, message = "surge.resilience.circuit-breaker.minimum-number-of-calls must be between 1 and 10000")
        @Max(value = 10000,
                message = "surge.resilience.circuit-breaker.minimum-number-of-calls must be between 1 and 10000")
        private int minimumNumberOfCalls = DEFAULT_MINIMUM_NUMBER_OF_CALLS;

        /**
         * How long an open breaker refuses calls (each refused with 503 and the rest of this as Retry-After) before
         * it lets probes through. Default 30s, 1s to 1h.
         */
        private Duration waitInOpenState = DEFAULT_WAIT_IN_OPEN_STATE;

        /** Probe calls let through after the wait; if enough succeed the breaker closes. Default 5, 1 to 1000. */
        @Min(value = 1,
                message = "surge.resilience.circuit-breaker.permitted-calls-in-half-open-state must be between 1 and 1000")
        @Max(value = 1000,
                message = "surge.resilience.circuit-breaker.permitted-calls-in-half-open-state must be between 1 and 1000")
        private int permittedCallsInHalfOpenState = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;

        public int getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(int failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public int getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        public void setSlowCallRateThreshold(int slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        public Duration getSlowCallDuration() {
            return slowCallDuration;
        }

        public void setSlowCallDuration(Duration slowCallDuration) {
            this.slowCallDuration = slowCallDuration;
        }

        public int getSlidingWindowSize() {
            return slidingWindowSize;
        }

        public void setSlidingWindowSize(int slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        public int getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        public Duration getWaitInOpenState() {
            return waitInOpenState;
        }

        public void setWaitInOpenState(Duration waitInOpenState) {
            this.waitInOpenState = waitInOpenState;
        }

        public int getPermittedCallsInHalfOpenState() {
            return permittedCallsInHalfOpenState;
        }

        public void setPermittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
            this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
        }
    }

    /** How many calls a dependency may have in flight, so a slow one cannot take every pooled connection. */
    public static class Bulkhead {

        /**
         * Most calls in flight to one dependency per instance; more get 503 at once (calls never queue). Default 50,
         * 1 to 10000. Keep (this × dependencies) within {@code surge.backoffice.max-connections}.
         */
        @Min(value = 1, message = "surge.resilience.bulkhead.max-concurrent-calls must be between 1 and 10000")
        @Max(value = 10000, message = "surge.resilience.bulkhead.max-concurrent-calls must be between 1 and 10000")
        private int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;

        /** Retry-After of the 503 a full bulkhead answers. Default 1s, 1s to 1m. */
        private Duration retryAfter = DEFAULT_BULKHEAD_RETRY_AFTER;

        public int getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        public void setMaxConcurrentCalls(int maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        public Duration getRetryAfter() {
            return retryAfter;
        }

        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }
    }

    /** Retries of idempotent reads that failed with 502 or 504 (never 404, never a refused call). */
    public static class Retry {

        /** Attempts in all, the first included; 1 turns retries off. Default 3, 1 to 10. */
        @Min(value = 1, message = "surge.resilience.retry.max-attempts must be between 1 and 10")
        @Max(value = 10, message = "surge.resilience.retry.max-attempts must be between 1 and 10")
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

        /** Wait before the first retry; each further one waits multiplier times longer. Default 50ms, 1ms to 10s. */
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;

        /** Growth of the wait from one retry to the next. Default 2.0, 1.0 to 10.0. */
        private double multiplier = DEFAULT_BACKOFF_MULTIPLIER;

        /**
         * Share by which each wait is moved at random either way, so instances that failed together do not retry
         * together. Default 0.5 (a 50ms wait becomes 25ms to 75ms), 0 to 0.99.
         */
        private double jitter = DEFAULT_BACKOFF_JITTER;

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public double getJitter() {
            return jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }
    }

    /** What one dependency sets differently from the common settings above; unset means the common value. */
    public static class Dependency {

        /** This dependency's bulkhead size; default {@code surge.resilience.bulkhead.max-concurrent-calls}. */
        @Min(value = 1, message = "surge.resilience.dependencies.*.max-concurrent-calls must be between 1 and 10000")
        @Max(value = 10000,
                message = "surge.resilience.dependencies.*.max-concurrent-calls must be between 1 and 10000")
        private @Nullable Integer maxConcurrentCalls;

        /** This dependency's slow-call duration; default {@code surge.resilience.circuit-breaker.slow-call-duration}. */
        private @Nullable Duration slowCallDuration;

        /** This dependency's open wait; default {@code surge.resilience.circuit-breaker.wait-in-open-state}. */
        private @Nullable Duration waitInOpenState;

        /** This dependency's attempts; default {@code surge.resilience.retry.max-attempts}. */
        @Min(value = 1, message = "surge.resilience.dependencies.*.max-attempts must be between 1 and 10")
        @Max(value = 10, message = "surge.resilience.dependencies.*.max-attempts must be between 1 and 10")
        private @Nullable Integer maxAttempts;

        public @Nullable Integer getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        public @Nullable Duration getSlowCallDuration() {
            return slowCallDuration;
        }

        public void setSlowCallDuration(@Nullable Duration slowCallDuration) {
            this.slowCallDuration = slowCallDuration;
        }

        public @Nullable Duration getWaitInOpenState() {
            return waitInOpenState;
        }

        public void setWaitInOpenState(@Nullable Duration waitInOpenState) {
            this.waitInOpenState = waitInOpenState;
        }

        public @Nullable Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }
    }

    /** A dependency's bulkhead size. */
    public int maxConcurrentCalls(BackOfficeDependency dependency) {
        Dependency own = dependencies.get(dependency);
        return own != null && own.getMaxConcurrentCalls() != null ? own.getMaxConcurrentCalls()
                : bulkhead.getMaxConcurrentCalls();
    }

    /** A dependency's slow-call duration. */
    public Duration slowCallDuration(BackOfficeDependency dependency) {
        Dependency own = dependencies.get(dependency);
        return own != null && own.getSlowCallDuration() != null ? own.getSlowCallDuration()
                : circuitBreaker.getSlowCallDuration();
    }

    /** How long a dependency's open breaker refuses calls. */
    public Duration waitInOpenState(BackOfficeDependency dependency) {
        Dependency own = dependencies.get(dependency);
        return own != null && own.getWaitInOpenState() != null ? own.getWaitInOpenState()
                : circuitBreaker.getWaitInOpenState();
    }

    /** A dependency's attempts per read, the first included. */
    public int maxAttempts(BackOfficeDependency dependency) {
        Dependency own = dependencies.get(dependency);
        return own != null && own.getMaxAttempts() != null ? own.getMaxAttempts() : retry.getMaxAttempts();
    }

    @AssertTrue(message = "surge.resilience slow-call-duration must be between 10ms and 60s")
    boolean isSlowCallDurationInRange() {
        return dependencies.values().stream().map(Dependency::getSlowCallDuration)
                .allMatch(d -> d == null || inRange(d, Duration.ofMillis(10), Duration.ofSeconds(60)))
                && inRange(circuitBreaker.getSlowCallDuration(), Duration.ofMillis(10), Duration.ofSeconds(60));
    }

    @AssertTrue(message = "surge.resilience wait-in-open-state must be between 1s and 1h")
    boolean isWaitInOpenStateInRange() {
        return dependencies.values().stream().map(Dependency::getWaitInOpenState)
                .allMatch(d -> d == null || inRange(d, Duration.ofSeconds(1), Duration.ofHours(1)))
                && inRange(circuitBreaker.getWaitInOpenState(), Duration.ofSeconds(1), Duration.ofHours(1));
    }

    @AssertTrue(message = "surge.resilience.bulkhead.retry-after must be between 1s and 1m")
    boolean isBulkheadRetryAfterInRange() {
        return inRange(bulkhead.getRetryAfter(), Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    @AssertTrue(message = "surge.resilience.retry: initial-backoff must be between 1ms and 10s, multiplier between "
            + "1.0 and 10.0, jitter between 0 and 0.99")
    boolean isRetryBackoffValid() {
        return inRange(retry.getInitialBackoff(), Duration.ofMillis(1), Duration.ofSeconds(10))
                && retry.getMultiplier() >= 1.0 && retry.getMultiplier() <= 10.0
                && retry.getJitter() >= 0.0 && retry.getJitter() <= 0.99;
    }

    @AssertTrue(message = "surge.resilience.circuit-breaker.minimum-number-of-calls must not exceed sliding-window-size")
    boolean isMinimumNumberOfCallsWithinWindow() {
        return circuitBreaker.getMinimumNumberOfCalls() <= circuitBreaker.getSlidingWindowSize();
    }

    private static boolean inRange(Duration d, Duration min, Duration max) {
        return d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    public Bulkhead getBulkhead() {
        return bulkhead;
    }

    public Retry getRetry() {
        return retry;
    }

    public Map<BackOfficeDependency, Dependency> getDependencies() {
        return dependencies;
    }

    public void setDependencies(Map<BackOfficeDependency, Dependency> dependencies) {
        this.dependencies = dependencies;
    }
}
