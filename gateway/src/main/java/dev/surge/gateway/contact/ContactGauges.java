package dev.surge.gateway.contact;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The {@code surge.contact.*} gauges, one series per window (and skill where per skill, {@code all} for every skill),
 * recomputed from Redis every gauge interval by each instance: every instance shows the same fleet-wide value, so
 * dashboards take {@code max} over instances. NaN until computed, and where a figure has no denominator.
 */
final class ContactGauges {

    static final String CONTAINMENT = "surge.contact.containment";
    static final String ACTIVE = "surge.contact.active.customers";
    static final String ESCALATION_RATE = "surge.contact.escalation.rate";
    static final String ASA = "surge.contact.queue.asa";
    static final String ABANDONMENT = "surge.contact.queue.abandonment";
    static final String SERVICE_LEVEL = "surge.contact.queue.service.level";
    static final String WAIT_ACCURACY = "surge.contact.queue.wait.accuracy";
    static final String ALL = "all";

    private final ContactReader reader;
    private final List<Duration> windows;
    private final Map<String, Double> values = new ConcurrentHashMap<>();

    ContactGauges(ContactReader reader, ContactProperties properties, MeterRegistry registry) {
        this.reader = reader;
        this.windows = properties.windows();
        for (Duration w : windows) {
            String window = ContactProperties.name(w);
            gauge(registry, CONTAINMENT, "Customers with self-service activity who did not escalate, as a share",
                    null, window, "scope", "customers");
            gauge(registry, CONTAINMENT, "Self-service sessions without an escalation, as a share", null, window,
                    "scope", "sessions");
            gauge(registry, ACTIVE, "Customers with self-service activity", null, window);
            gauge(registry, ESCALATION_RATE, "Escalations per customer with self-service activity", null, window);
            List<String> skills = new ArrayList<>(ContactFigures.SKILLS);
            skills.add(0, ALL);
            for (String skill : skills) {
                gauge(registry, ASA, "Average speed of answer", "seconds", window, "skill", skill);
                gauge(registry, ABANDONMENT, "Abandoned ÷ (answered + abandoned)", null, window, "skill", skill);
                gauge(registry, SERVICE_LEVEL, "Answered within the threshold ÷ (answered + abandoned after it)",
                        null, window, "skill", skill);
                gauge(registry, WAIT_ACCURACY, "Answered with the estimated wait within 20 % of the actual",
                        null, window, "skill", skill);
            }
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, @Nullable String unit,
                       String window, String... tags) {
        String key = key(name, window, tags);
        Gauge.Builder<Map<String, Double>> builder = Gauge.builder(name, values,
                        v -> v.getOrDefault(key, Double.NaN))
                .description(description).tag("window", window).tags(tags);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        builder.register(registry);
    }

    private static String key(String name, String window, String... tags) {
        return name + "|" + window + "|" + String.join("|", tags);
    }

    /** The periodic task: every window's figures, one window after the other. */
    Mono<Void> refresh() {
        return Flux.fromIterable(windows)
                .concatMap(window -> reader.summary(window, false).doOnNext(this::update))
                .then();
    }

    void update(ContactSummary s) {
        String w = s.window();
        set(key(CONTAINMENT, w, "scope", "customers"), s.selfService().containment());
        set(key(CONTAINMENT, w, "scope", "sessions"), s.selfService().sessions().containment());
        set(key(ACTIVE, w), (double) s.selfService().activeCustomers());
        set(key(ESCALATION_RATE, w), ContactFigures.ratio(s.escalations().created(),
                s.selfService().activeCustomers()));
        queue(w, ALL, s.queue().overall());
        s.queue().bySkill().forEach((skill, figures) -> queue(w, skill, figures));
    }

    private void queue(String window, String skill, ContactSummary.QueueFigures q) {
        set(key(ASA, window, "skill", skill), q.averageSpeedOfAnswerSeconds());
        set(key(ABANDONMENT, window, "skill", skill), q.abandonmentRate());
        set(key(SERVICE_LEVEL, window, "skill", skill), q.serviceLevel());
        set(key(WAIT_ACCURACY, window, "skill", skill), q.waitAccuracy());
    }

    private void set(String key, @Nullable Double value) {
        values.put(key, value == null ? Double.NaN : value);
    }

    /** For tests: a gauge's value now. */
    double value(String name, String window, String... tags) {
        return values.getOrDefault(key(name, window, tags), Double.NaN);
    }
}
