package dev.surge.gateway.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Business-process notifications on escalations, under {@code surge.notify}: rules that, when an escalation matches,
 * put an event on the Redis stream {@code surge:notifications} and, if a webhook is configured, POST it there signed.
 */
@Validated
@ConfigurationProperties("surge.notify")
public class NotifyProperties {

    public static final int DEFAULT_STREAM_MAX_LENGTH = 100_000;

    /** Whether rules are evaluated at all. Default true. */
    private boolean enabled = true;

    /** Events kept on the stream (approximately; older ones are trimmed). Default 100000, allowed 100 to 10000000. */
    @Min(value = 100, message = "surge.notify.stream-max-length must be between 100 and 10000000")
    @Max(value = 10_000_000, message = "surge.notify.stream-max-length must be between 100 and 10000000")
    private int streamMaxLength = DEFAULT_STREAM_MAX_LENGTH;

    /** The rules; an escalation matching several makes one event per rule. Default none (application.yaml has two). */
    private List<@Valid Rule> rules = new ArrayList<>();

    @Valid
    private final Webhook webhook = new Webhook();

    /** One rule: every condition that is set must hold. At least one must be set. */
    public static class Rule {

        /** Name of the rule, sent with each event (e.g. {@code platinum-escalation}). Required. */
        private @Nullable String name;

        /** Matches escalations of customers of this tier: standard, gold or platinum. */
        private @Nullable String tier;

        /** Matches escalations with this reason (order_problem, return, billing, delivery, other). */
        private @Nullable String reason;

        /** Matches escalations from this channel (web, mobile, phone). */
        private @Nullable String channel;

        /** Matches when the same customer already escalated within this time before (e.g. 24h). */
        private @Nullable Duration repeatWithin;

        /**
         * Makes it a rule on self-service actions instead of escalations: matches actions of this type (return,
         * cancellation, address-change, preferences), with tier, channel, outcome and min-value as further conditions.
         */
        private @Nullable String action;

        /** With {@code action}: matches this outcome only (done, refused, failed, unknown). */
        private @Nullable String outcome;

        /** With {@code action}: matches actions worth at least this (a return's refund, a cancellation's total). */
        private java.math.@Nullable BigDecimal minValue;

        @AssertTrue(message = "every surge.notify.rules[] needs a name and at least one of tier, reason, channel, "
                + "repeat-within, action (repeat-within between 1m and 30d; tier standard, gold or platinum; action "
                + "return, cancellation, address-change or preferences, without reason or repeat-within; outcome and "
                + "min-value only with action)")
        boolean isValid() {
            boolean condition = tier != null || reason != null || channel != null || repeatWithin != null
                    || action != null;
            boolean actionOk = action == null ? outcome == null && minValue == null
                    : List.of("return", "cancellation", "address-change", "preferences").contains(action)
                            && reason == null && repeatWithin == null
                            && (outcome == null || List.of("done", "refused", "failed", "unknown").contains(outcome));
            if (!actionOk) {
                return false;
            }
            boolean window = repeatWithin == null || (repeatWithin.compareTo(Duration.ofMinutes(1)) >= 0
                    && repeatWithin.compareTo(Duration.ofDays(30)) <= 0);
            boolean tierOk = tier == null || List.of("standard", "gold", "platinum").contains(tier);
            return name != null && !name.isBlank() && condition && window && tierOk;
        }

        public @Nullable String getAction() {
            return action;
        }

        public void setAction(@Nullable String action) {
            this.action = action;
        }

        public @Nullable String getOutcome() {
            return outcome;
        }

        public void setOutcome(@Nullable String outcome) {
            this.outcome = outcome;
        }

        public java.math.@Nullable BigDecimal getMinValue() {
            return minValue;
        }

        public void setMinValue(java.math.@Nullable BigDecimal minValue) {
            this.minValue = minValue;
        }

        public @Nullable String getName() {
            return name;
        }

        public void setName(@Nullable String name) {
            this.name = name;
        }

        public @Nullable String getTier() {
            return tier;
        }

        public void setTier(@Nullable String tier) {
            this.tier = tier;
        }

        public @Nullable String getReason() {
            return reason;
        }

        public void setReason(@Nullable String reason) {
            this.reason = reason;
        }

        public @Nullable String getChannel() {
            return channel;
        }

        public void setChannel(@Nullable String channel) {
            this.channel = channel;
        }

        public @Nullable Duration getRepeatWithin() {
            return repeatWithin;
        }

        public void setRepeatWithin(@Nullable Duration repeatWithin) {
            this.repeatWithin = repeatWithin;
        }
    }

    /** Optional signed webhook, under {@code surge.notify.webhook}. */
    public static class Webhook {

        public static final int DEFAULT_MAX_ATTEMPTS = 6;
        public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(500);
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
        public static final Duration DEFAULT_REDELIVER_AFTER = Duration.ofMinutes(2);

        /** Where events are POSTed (JSON); unset means no webhook, events only on the stream. Default unset. */
        private @Nullable URI url;

        /** HMAC-SHA256 key for {@code X-Surge-Signature}; required with a URL, at least 32 bytes. Default unset. */
        private @Nullable String secret;

        /** Attempts per delivery before it is left for redelivery. Default 6, allowed 1 to 20. */
        @Min(value = 1, message = "surge.notify.webhook.max-attempts must be between 1 and 20")
        @Max(value = 20, message = "surge.notify.webhook.max-attempts must be between 1 and 20")
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

        /** First retry delay; doubles per attempt, with jitter. Default 500ms, allowed 10ms to 1m. */
        private Duration minBackoff = DEFAULT_MIN_BACKOFF;

        /** Longest retry delay. Default 10s, at least the min-backoff, at most 10m. */
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

        /** Longest wait for the receiver's answer per attempt. Default 5s, allowed 100ms to 1m. */
        private Duration timeout = DEFAULT_TIMEOUT;

        /** How often new events are looked for. Default 500ms, allowed 50ms to 1m. */
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;

        /**
         * An event taken for delivery but not acknowledged this long (its instance died, or its attempts ran out) is
         * delivered again, by any instance. Default 2m, allowed 1s to 1d.
         */
        private Duration redeliverAfter = DEFAULT_REDELIVER_AFTER;

        @AssertTrue(message = "surge.notify.webhook: a url needs a secret of at least 32 bytes; min-backoff 10ms-1m, "
                + "max-backoff from min-backoff to 10m, timeout 100ms-1m, poll-interval 50ms-1m, "
                + "redeliver-after 1s-1d")
        boolean isValid() {
            boolean secretOk = url == null
                    || (secret != null && secret.getBytes(StandardCharsets.UTF_8).length >= 32);
            return secretOk && within(minBackoff, Duration.ofMillis(10), Duration.ofMinutes(1))
                    && within(maxBackoff, minBackoff, Duration.ofMinutes(10))
                    && within(timeout, Duration.ofMillis(100), Duration.ofMinutes(1))
                    && within(pollInterval, Duration.ofMillis(50), Duration.ofMinutes(1))
                    && within(redeliverAfter, Duration.ofSeconds(1), Duration.ofDays(1));
        }

        private static boolean within(Duration value, Duration min, Duration max) {
            return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
        }

        public @Nullable URI getUrl() {
            return url;
        }

        public void setUrl(@Nullable URI url) {
            this.url = url;
        }

        public @Nullable String getSecret() {
            return secret;
        }

        public void setSecret(@Nullable String secret) {
            this.secret = secret;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getMinBackoff() {
            return minBackoff;
        }

        public void setMinBackoff(Duration minBackoff) {
            this.minBackoff = minBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getRedeliverAfter() {
            return redeliverAfter;
        }

        public void setRedeliverAfter(Duration redeliverAfter) {
            this.redeliverAfter = redeliverAfter;
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getStreamMaxLength() {
        return streamMaxLength;
    }

    public void setStreamMaxLength(int streamMaxLength) {
        this.streamMaxLength = streamMaxLength;
    }

    public List<Rule> getRules() {
        return rules;
    }

    public void setRules(List<Rule> rules) {
        this.rules = rules;
    }

    public Webhook getWebhook() {
        return webhook;
    }
}
