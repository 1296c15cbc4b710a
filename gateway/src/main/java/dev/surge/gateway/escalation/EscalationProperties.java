package dev.surge.gateway.escalation;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Escalations: the customer side, the queue in Redis, the spool and the journey, under {@code surge.escalation}. */
@Validated
@ConfigurationProperties("surge.escalation")
public class EscalationProperties {

    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(300);
    public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final Duration DEFAULT_CONTEXT_TIMEOUT = Duration.ofMillis(800);
    public static final Duration DEFAULT_SPOOL_REPLAY_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_HANDLE_TIME = Duration.ofMinutes(5);
    public static final double DEFAULT_HANDLE_TIME_WEIGHT = 0.2;
    public static final Duration DEFAULT_PLATINUM_BOOST = Duration.ofSeconds(300);
    public static final Duration DEFAULT_GOLD_BOOST = Duration.ofSeconds(120);
    public static final Duration DEFAULT_ACTIVE_AGENT_WINDOW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_SSE_HEARTBEAT = Duration.ofSeconds(15);

    /**
     * Longest wait on Redis when storing an escalation; past it (or at once when Redis is down) the escalation goes to
     * the local spool and is still accepted. Default 300ms, allowed 10ms to 5s.
     */
    private Duration redisTimeout = DEFAULT_REDIS_TIMEOUT;

    /** How long an Idempotency-Key and its answer are kept. Default 24h, allowed 1m to 7d. */
    private Duration idempotencyTtl = DEFAULT_IDEMPOTENCY_TTL;

    /** How long a resolved or abandoned escalation stays readable. Default 30d, allowed 1h to 365d. */
    private Duration retention = DEFAULT_RETENTION;

    /**
     * Longest wait for each part of the hand-off context (profile, account, order, shipment, journey); a part that
     * is not there in time is marked missing, never failing the escalation. Default 800ms, allowed 50ms to 5s.
     */
    private Duration contextTimeout = DEFAULT_CONTEXT_TIMEOUT;

    /**
     * Directory of the append-only spool used while Redis cannot be reached. Shared by the instances of one host (each
     * writes its own locked file, and replays the files of instances that are gone). Default
     * {@code ${java.io.tmpdir}/surge-escalation-spool}.
     */
    private Path spoolDir = Path.of(System.getProperty("java.io.tmpdir"), "surge-escalation-spool");

    /** How often the spool is checked and replayed into Redis. Default 2s, allowed 100ms to 5m. */
    private Duration spoolReplayInterval = DEFAULT_SPOOL_REPLAY_INTERVAL;

    /** Average handle time assumed for a skill until escalations of it were resolved. Default 5m. */
    private Duration defaultHandleTime = DEFAULT_HANDLE_TIME;

    /** Weight of the newest handle time in the average (exponentially weighted). Default 0.2, allowed 0.01 to 1. */
    private double handleTimeWeight = DEFAULT_HANDLE_TIME_WEIGHT;

    /** Head start of platinum customers in the queue (see docs/escalation.md). Default 300s, allowed 0 to 1h. */
    private Duration platinumBoost = DEFAULT_PLATINUM_BOOST;

    /** Head start of gold customers in the queue. Default 120s, allowed 0 to the platinum boost. */
    private Duration goldBoost = DEFAULT_GOLD_BOOST;

    /**
     * An agent who claimed, acted or sent a heartbeat within this window counts as active for estimated waits and
     * queue figures. Default 5m, allowed 10s to 1h.
     */
    private Duration activeAgentWindow = DEFAULT_ACTIVE_AGENT_WINDOW;

    /** Interval of keep-alive comments on SSE streams, so proxies keep them open. Default 15s, allowed 1s to 5m. */
    private Duration sseHeartbeat = DEFAULT_SSE_HEARTBEAT;

    @Valid
    private final Journey journey = new Journey();

    @Valid
    private final History history = new History();

    /**
     * The customer's earlier escalations, kept per customer and shown to the agent with each new one (and used by
     * the repeat-escalation notification rules), under {@code surge.escalation.history}.
     */
    public static class History {

        public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
        public static final int DEFAULT_SIZE = 10;

        /**
         * How far back earlier escalations count; notification rules' {@code repeat-within} may not be longer.
         * Default 7d, allowed 1m to 90d.
         */
        private Duration window = DEFAULT_WINDOW;

        /** Earlier escalations kept and shown per customer (the newest). Default 10, allowed 1 to 100. */
        @Min(value = 1, message = "surge.escalation.history.size must be between 1 and 100")
        @Max(value = 100, message = "surge.escalation.history.size must be between 1 and 100")
        private int size = DEFAULT_SIZE;

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public int getSize() {
            return size;
        }

        public void setSize(int size) {
            this.size = size;
        }
    }

    /** The self-service journey recorded per customer for the hand-off, under {@code surge.escalation.journey}. */
    public static class Journey {

        public static final int DEFAULT_SIZE = 20;
        public static final Duration DEFAULT_TTL = Duration.ofHours(24);
        public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(2);
        public static final int DEFAULT_MAX_BUFFERED_CUSTOMERS = 100_000;

        /** Whether the journey is recorded at all. Default true. */
        private boolean enabled = true;

        /** Requests kept per customer (the newest). Default 20, allowed 1 to 200. */
        @Min(value = 1, message = "surge.escalation.journey.size must be between 1 and 200")
        @Max(value = 200, message = "surge.escalation.journey.size must be between 1 and 200")
        private int size = DEFAULT_SIZE;

        /** How long a journey is kept after the customer's last request. Default 24h. */
        private Duration ttl = DEFAULT_TTL;

        /**
         * Longest a recorded request waits before it is written to Redis (until then only this instance sees it).
         * The writes are spread over the interval, an eighth of the customers at a time, up to 64 customers per
         * script call; a longer interval lets a busy customer's requests share one write. Default 2s, allowed 10ms
         * to 10s.
         */
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;

        /**
         * Most customers with unwritten entries held in memory (an eighth of it per flush slice); beyond it new
         * entries are dropped (and counted) until the next flush. Default 100000, allowed 100 to 10000000.
         */
        @Min(value = 100, message = "surge.escalation.journey.max-buffered-customers must be 100 to 10000000")
        @Max(value = 10_000_000, message = "surge.escalation.journey.max-buffered-customers must be 100 to 10000000")
        private int maxBufferedCustomers = DEFAULT_MAX_BUFFERED_CUSTOMERS;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getSize() {
            return size;
        }

        public void setSize(int size) {
            this.size = size;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Duration getFlushInterval() {
            return flushInterval;
        }

        public void setFlushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
        }

        public int getMaxBufferedCustomers() {
            return maxBufferedCustomers;
        }

        public void setMaxBufferedCustomers(int maxBufferedCustomers) {
            this.maxBufferedCustomers = maxBufferedCustomers;
        }
    }

    @AssertTrue(message = "surge.escalation: redis-timeout 10ms-5s, idempotency-ttl 1m-7d, retention 1h-365d, "
            + "context-timeout 50ms-5s, spool-replay-interval 100ms-5m, "
            + "default-handle-time 1s-8h, handle-time-weight 0.01-1, platinum-boost 0-1h, gold-boost 0 up to the "
            + "platinum-boost, active-agent-window 10s-1h, sse-heartbeat 1s-5m, journey.ttl 1m-7d, "
            + "journey.flush-interval 10ms-10s, history.window 1m-90d")
    boolean isValid() {
        return within(redisTimeout, Duration.ofMillis(10), Duration.ofSeconds(5))
                && within(idempotencyTtl, Duration.ofMinutes(1), Duration.ofDays(7))
                && within(retention, Duration.ofHours(1), Duration.ofDays(365))
                && within(contextTimeout, Duration.ofMillis(50), Duration.ofSeconds(5))
                && within(spoolReplayInterval, Duration.ofMillis(100), Duration.ofMinutes(5))
                && within(defaultHandleTime, Duration.ofSeconds(1), Duration.ofHours(8))
                && handleTimeWeight >= 0.01 && handleTimeWeight <= 1
                && within(platinumBoost, Duration.ZERO, Duration.ofHours(1))
                && within(goldBoost, Duration.ZERO, platinumBoost)
                && within(activeAgentWindow, Duration.ofSeconds(10), Duration.ofHours(1))
                && within(sseHeartbeat, Duration.ofSeconds(1), Duration.ofMinutes(5))
                && within(journey.ttl, Duration.ofMinutes(1), Duration.ofDays(7))
                && within(journey.flushInterval, Duration.ofMillis(10), Duration.ofSeconds(10))
                && within(history.window, Duration.ofMinutes(1), Duration.ofDays(90));
    }

    static boolean within(Duration value, Duration min, Duration max) {
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
    }

    public Duration getRedisTimeout() {
        return redisTimeout;
    }

    public void setRedisTimeout(Duration redisTimeout) {
        this.redisTimeout = redisTimeout;
    }

    public Duration getIdempotencyTtl() {
        return idempotencyTtl;
    }

    public void setIdempotencyTtl(Duration idempotencyTtl) {
        this.idempotencyTtl = idempotencyTtl;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public Duration getContextTimeout() {
        return contextTimeout;
    }

    public void setContextTimeout(Duration contextTimeout) {
        this.contextTimeout = contextTimeout;
    }

    public Path getSpoolDir() {
        return spoolDir;
    }

    public void setSpoolDir(Path spoolDir) {
        this.spoolDir = spoolDir;
    }

    public Duration getSpoolReplayInterval() {
        return spoolReplayInterval;
    }

    public void setSpoolReplayInterval(Duration spoolReplayInterval) {
        this.spoolReplayInterval = spoolReplayInterval;
    }

    public Duration getDefaultHandleTime() {
        return defaultHandleTime;
    }

    public void setDefaultHandleTime(Duration defaultHandleTime) {
        this.defaultHandleTime = defaultHandleTime;
    }

    public double getHandleTimeWeight() {
        return handleTimeWeight;
    }

    public void setHandleTimeWeight(double handleTimeWeight) {
        this.handleTimeWeight = handleTimeWeight;
    }

    public Duration getPlatinumBoost() {
        return platinumBoost;
    }

    public void setPlatinumBoost(Duration platinumBoost) {
        this.platinumBoost = platinumBoost;
    }

    public Duration getGoldBoost() {
        return goldBoost;
    }

    public void setGoldBoost(Duration goldBoost) {
        this.goldBoost = goldBoost;
    }

    public Duration getActiveAgentWindow() {
        return activeAgentWindow;
    }

    public void setActiveAgentWindow(Duration activeAgentWindow) {
        this.activeAgentWindow = activeAgentWindow;
    }

    public Duration getSseHeartbeat() {
        return sseHeartbeat;
    }

    public void setSseHeartbeat(Duration sseHeartbeat) {
        this.sseHeartbeat = sseHeartbeat;
    }

    public History getHistory() {
        return history;
    }

    public Journey getJourney() {
        return journey;
    }
}
