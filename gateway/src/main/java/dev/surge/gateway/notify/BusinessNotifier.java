package dev.surge.gateway.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.escalation.Escalation;
import dev.surge.gateway.escalation.EscalationListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates the notification rules on each escalation and puts one event per matching rule on the stream. Runs
 * detached from the request: the customer's 202 never waits for it, and a failure here (Redis away) is logged and
 * counted, never passed on to the escalation.
 */
final class BusinessNotifier implements EscalationListener {

    private static final Logger log = LoggerFactory.getLogger(BusinessNotifier.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final NotificationStream stream;
    private final NotifyProperties properties;
    private final NotifyMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;
    private final List<Duration> windows;
    private final Duration longestWindow;

    BusinessNotifier(NotificationStream stream, NotifyProperties properties, NotifyMetrics metrics, JsonMapper json,
                     Clock clock) {
        this.stream = stream;
        this.properties = properties;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.windows = properties.getRules().stream().map(NotifyProperties.Rule::getRepeatWithin)
                .filter(java.util.Objects::nonNull).toList();
        this.longestWindow = windows.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    @Override
    public void escalated(Escalation escalation) {
        if (!properties.isEnabled() || properties.getRules().isEmpty()) {
            return;
        }
        repeats(escalation)
                .flatMapMany(repeats -> Flux.fromIterable(matching(escalation, repeats)))
                .concatMap(rule -> stream.add(event(rule, escalation)).doOnNext(id -> metrics.event(rule.getName())))
                .timeout(TIMEOUT)
                .subscribe(null, e -> {
                    metrics.eventFailed();
                    log.warn("notification for escalation {} not written: {}", escalation.id(), e.toString());
                });
    }

    /** How many other escalations the customer made within each repeat window, in rule order. */
    private Mono<Map<Duration, Long>> repeats(Escalation escalation) {
        if (windows.isEmpty()) {
            return Mono.just(Map.of());
        }
        long now = clock.millis();
        List<String> args = new ArrayList<>();
        args.add(escalation.id());
        args.add(Long.toString(now));
        args.add(Long.toString(longestWindow.toMillis()));
        windows.forEach(window -> args.add(Long.toString(window.toMillis())));
        return stream.recordRecent(escalation.customerId(), args)
                .map(counts -> {
                    Map<Duration, Long> byWindow = new LinkedHashMap<>();
                    for (int i = 0; i < windows.size(); i++) {
                        byWindow.put(windows.get(i), Long.parseLong(counts.get(i)));
                    }
                    return byWindow;
                });
    }

    private List<NotifyProperties.Rule> matching(Escalation e, Map<Duration, Long> repeats) {
        List<NotifyProperties.Rule> matched = new ArrayList<>();
        for (NotifyProperties.Rule rule : properties.getRules()) {
            boolean ok = (rule.getTier() == null || rule.getTier().equals(e.tier().name().toLowerCase(java.util.Locale.ROOT)))
                    && (rule.getReason() == null || rule.getReason().equals(e.reason()))
                    && (rule.getChannel() == null || rule.getChannel().equals(e.channel()))
                    && (rule.getRepeatWithin() == null || repeats.getOrDefault(rule.getRepeatWithin(), 0L) > 0);
            if (ok) {
                matched.add(rule);
            }
        }
        return matched;
    }

    private String event(NotifyProperties.Rule rule, Escalation e) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "escalation.created");
        event.put("rule", rule.getName());
        event.put("escalationId", e.id());
        event.put("customerId", e.customerId());
        event.put("tier", e.tier());
        event.put("reason", e.reason());
        event.put("channel", e.channel());
        event.put("skill", e.skill());
        if (e.orderId() != null) {
            event.put("orderId", e.orderId());
        }
        event.put("createdAt", e.createdAt().toString());
        event.put("occurredAt", Instant.ofEpochMilli(clock.millis()).toString());
        return json.writeValueAsString(event);
    }
}
