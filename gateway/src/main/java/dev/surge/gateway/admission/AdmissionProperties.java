package dev.surge.gateway.admission;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import jakarta.validation.constraints.AssertTrue;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code surge.admission.*}: the adaptive concurrency limit and each priority class's share of it.
 *
 * <p>Gradient2 (Netflix concurrency-limits) raises the limit while latency stays near its long-term average and
 * cuts it when latency grows, so the limit settles where the instance still answers promptly. The bounds keep it
 * sane: at least {@code min-limit} requests in flight are always allowed, never more than {@code max-limit}.
 */
@Validated
@ConfigurationProperties("surge.admission")
public class AdmissionProperties {

    public static final int DEFAULT_INITIAL_LIMIT = 200;
    public static final int DEFAULT_MIN_LIMIT = 32;
    public static final int DEFAULT_MAX_LIMIT = 2_000;
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    /** Whether requests under /api/ go through admission at all. Default true. */
    private boolean enabled = true;

    /** The limit before any latency was measured. Default 200. */
    private int initialLimit = DEFAULT_INITIAL_LIMIT;

    /** The adaptive limit never goes below this many requests in flight. Default 32, at least 1. */
    private int minLimit = DEFAULT_MIN_LIMIT;

    /** ... nor above this many. Default 2000. */
    private int maxLimit = DEFAULT_MAX_LIMIT;

    /** A fixed limit instead of the adaptive one, for tests and for ops who measured their own; 0 = adaptive. */
    private int fixedLimit;

    /** Retry-After on a shed request. Default 1s, 1s to 5min. */
    private Duration retryAfter = DEFAULT_RETRY_AFTER;

    /**
     * Share of the limit each class may fill, keyed by agent-and-escalation, action, platinum-read, gold-read,
     * standard-read, anonymous. Defaults 1.0, 0.9, 0.8, 0.7, 0.6, 0.5; each 0.05 to 1.0, and never more than a
     * higher class's share.
     */
    private Map<Priority, Double> shares = new EnumMap<>(Priority.class);

    /**
     * Whether a request admission would shed is answered as soon as Netty has decoded it, before Reactor Netty and
     * WebFlux build an exchange and run the filters for it (one instance sheds about twice as many a second that
     * way: docs/benchmarks.md). Only where the answer is the plain 503 (not a waiting-room place); everything else
     * is shed, or admitted, by the web filter as before. Default true.
     */
    private boolean earlyShed = true;

    /** The event loops' lag probe, under {@code surge.admission.loop-lag}. */
    private final LoopLag loopLag = new LoopLag();

    /**
     * {@code surge.admission.loop-lag.*}: a probe on every HTTP event loop measures how late it gets to due work,
     * published as {@code surge.admission.loop.lag}: the wait of a request before anything reads it, which the
     * adaptive limit cannot see (docs/architecture.md, admission).
     */
    public boolean isEarlyShed() {
        return earlyShed;
    }

    public void setEarlyShed(boolean earlyShed) {
        this.earlyShed = earlyShed;
    }

    public static class LoopLag {

        public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);

        /** How often each loop is probed. Default 10ms, 1ms to 1s. */
        private Duration interval = DEFAULT_INTERVAL;

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }

    /** Every class's share: configured or default. */
    Map<Priority, Double> effectiveShares() {
        Map<Priority, Double> effective = new EnumMap<>(Priority.class);
        for (Priority priority : Priority.values()) {
            effective.put(priority, shares.getOrDefault(priority, priority.defaultShare()));
        }
        return effective;
    }

    @AssertTrue(message = "surge.admission: need 1 <= min-limit <= initial-limit <= max-limit, fixed-limit >= 0, "
            + "retry-after 1s to 5min, shares from 0.05 to 1.0 that never rise from a higher class to a lower one, "
            + "and loop-lag.interval 1ms to 1s")
    boolean isValid() {
        boolean limits = minLimit >= 1 && minLimit <= initialLimit && initialLimit <= maxLimit && fixedLimit >= 0;
        boolean retry = retryAfter.toSeconds() >= 1 && retryAfter.compareTo(Duration.ofMinutes(5)) <= 0;
        double previous = 1.0;
        boolean ordered = true;
        for (double share : effectiveShares().values()) { // EnumMap: highest class first
            ordered &= share >= 0.05 && share <= previous;
            previous = share;
        }
        boolean lag = loopLag.interval.compareTo(Duration.ofMillis(1)) >= 0
                && loopLag.interval.compareTo(Duration.ofSeconds(1)) <= 0;
        return limits && retry && ordered && lag;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getInitialLimit() {
        return initialLimit;
    }

    public void setInitialLimit(int initialLimit) {
        this.initialLimit = initialLimit;
    }

    public int getMinLimit() {
        return minLimit;
    }

    public void setMinLimit(int minLimit) {
        this.minLimit = minLimit;
    }

    public int getMaxLimit() {
        return maxLimit;
    }

    public void setMaxLimit(int maxLimit) {
        this.maxLimit = maxLimit;
    }

    public int getFixedLimit() {
        return fixedLimit;
    }

    public void setFixedLimit(int fixedLimit) {
        this.fixedLimit = fixedLimit;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public LoopLag getLoopLag() {
        return loopLag;
    }

    public Map<Priority, Double> getShares() {
        return shares;
    }

    public void setShares(Map<Priority, Double> shares) {
        this.shares = shares;
    }
}
