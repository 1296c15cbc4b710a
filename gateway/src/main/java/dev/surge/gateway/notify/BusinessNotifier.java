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

import dev.surge.gateway.actions.ActionEvent;
import dev.surge.gateway.actions.ActionListener;
import dev.surge.gateway.escalation.EscalationListener;
import dev.surge.gateway.queue.Escalation;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates the notification rules on each escalation and puts one event per matching rule on the stream. Runs
 * detached from the request: the customer's 202 never waits for it. While Redis is away the events wait in memory
 * and are written once it is back ({@link NotificationStream}); an event that cannot even wait (too many waiting) is
 * logged and counted, never passed on to the escalation.
 */
final class BusinessNotifier implements EscalationListener, ActionListener {

    private static final Logger log = LoggerFactory.getLogger(BusinessNotifier.class);

    private final NotificationStream stream;
    private final NotifyProperties properties;
    private final NotifyMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;

    BusinessNotifier(NotificationStream stream, NotifyProperties properties, NotifyMetrics metrics, JsonMapper json,
                     Clock clock) {
        this.stream = stream;
        this.properties = properties;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Repeat rules cannot look further back than the escalation history that answers them.
     *
     * @throws IllegalStateException naming the first rule that does
     */
    static void checkWindows(List<NotifyProperties.Rule> rules, Duration historyWindow) {
        for (NotifyProperties.Rule rule : rules) {
            if (rule.getRepeatWithin() != null && rule.getRepeatWithin().compareTo(historyWindow) > 0) {
                throw new IllegalStateException("surge.notify rule " + rule.getName() + ": repeat-within "
                        + rule.getRepeatWithin() + " is longer than surge.escalation.history.window " + historyWindow
                        + "; raise the window or shorten the rule");
            }
        }
    }

    @Override
    public void escalated(Escalation escalation) {
        if (!properties.isEnabled() || properties.getRules().isEmpty()) {
            return;
        }
        List<NotifyProperties.Rule> matched = matching(escalation);
        if (matched.isEmpty()) {
            return;
        }
        Flux.fromIterable(matched)
                .concatMap(rule -> stream.add(event(rule, escalation)).doOnNext(id -> metrics.event(rule.getName())))
                .subscribe(null, e -> {
                    metrics.eventFailed();
                    log.warn("notification for escalation {} not written: {}", escalation.id(), e.toString());
                });
    }

    /**
     * Whether the customer made another escalation within the window before this one. The enqueue script stored the
     * customer's earlier escalations with this one (no Redis call here); unknown for an escalation spooled while
     * Redis was away, and then the rule does not match.
     */
    private static boolean repeated(Escalation e, Duration window) {
        if (e.earlier() == null) {
            return false;
        }
        Instant since = e.createdAt().minus(window);
        return e.earlier().stream().anyMatch(earlier -> !earlier.createdAt().isBefore(since));
    }

    @Override
    public void acted(ActionEvent event) {
        if (!properties.isEnabled() || properties.getRules().isEmpty()) {
            return;
        }
        List<NotifyProperties.Rule> matched = matching(event);
        if (matched.isEmpty()) {
            return;
        }
        Flux.fromIterable(matched)
                .concatMap(rule -> stream.add(event(rule, event)).doOnNext(id -> metrics.event(rule.getName())))
                .subscribe(null, e -> {
                    metrics.eventFailed();
                    log.warn("notification for an action of customer {} not written: {}", event.customerId(),
                            e.toString());
                });
    }

    /** The action rules the action matches, in the order they are configured. */
    List<NotifyProperties.Rule> matching(ActionEvent a) {
        List<NotifyProperties.Rule> matched = new ArrayList<>();
        for (NotifyProperties.Rule rule : properties.getRules()) {
            boolean ok = rule.getAction() != null && rule.getAction().equals(a.type())
                    && (rule.getOutcome() == null || rule.getOutcome().equals(a.outcome()))
                    && (rule.getTier() == null || rule.getTier().equals(wire(a.tier())))
                    && (rule.getChannel() == null || rule.getChannel().equals(a.channel()))
                    && (rule.getMinValue() == null
                        || a.value() != null && a.value().compareTo(rule.getMinValue()) >= 0);
            if (ok) {
                matched.add(rule);
            }
        }
        return matched;
    }

    private String event(NotifyProperties.Rule rule, ActionEvent a) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "action." + a.outcome());
        event.put("rule", rule.getName());
        event.put("action", a.type());
        event.put("customerId", a.customerId());
        event.put("tier", a.tier());
        event.put("channel", a.channel());
        if (a.orderId() != null) {
            event.put("orderId", a.orderId());
        }
        if (a.reason() != null) {
            event.put("reason", a.reason());
        }
        if (a.value() != null) {
            event.put("value", a.value());
        }
        if (a.agentId() != null) {
            event.put("agentId", a.agentId());
        }
        event.put("occurredAt", a.at().toString());
        return json.writeValueAsString(event);
    }

    /** The escalation rules the escalation matches, in the order they are configured. */
    List<NotifyProperties.Rule> matching(Escalation e) {
        List<NotifyProperties.Rule> matched = new ArrayList<>();
        for (NotifyProperties.Rule rule : properties.getRules()) {
            boolean ok = rule.getAction() == null && (rule.getTier() == null || rule.getTier().equals(wire(e.tier())))
                    && (rule.getReason() == null || rule.getReason().equals(e.reason()))
                    && (rule.getChannel() == null || rule.getChannel().equals(e.channel()))
                    && (rule.getRepeatWithin() == null || repeated(e, rule.getRepeatWithin()));
            if (ok) {
                matched.add(rule);
            }
        }
        return matched;
    }

    private static String wire(dev.surge.gateway.identity.Tier tier) {
        return tier.name().toLowerCase(java.util.Locale.ROOT);
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
