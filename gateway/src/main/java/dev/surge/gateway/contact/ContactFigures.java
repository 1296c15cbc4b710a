package dev.surge.gateway.contact;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.identity.Tier;
import dev.surge.gateway.queue.Skill;

/**
 * The formulas of docs/metrics.md, from a window's totals to the summary: pure arithmetic, no I/O. Every ratio
 * without a denominator is null; ratios are rounded to 3 decimals, seconds to the millisecond.
 */
final class ContactFigures {

    /** The self-service actions, as {@code actions.ActionEvent} names them. */
    static final List<String> ACTIONS = List.of("return", "cancellation", "address-change", "preferences");
    static final List<String> TIERS = tiers();
    static final List<String> SKILLS = skills();
    static final int TOP_STEPS = 10;

    private ContactFigures() {
    }

    /**
     * What a window's buckets add up to: the counters summed, the cardinality of each HyperLogLog and union the
     * summary needs ({@link #cardinalities()}, a union named {@code a|b}), and each breaker's state now.
     */
    record Totals(Map<String, Long> counts, Map<String, Long> cardinalities, Map<String, String> breakersNow) {

        long count(String field) {
            return counts.getOrDefault(field, 0L);
        }

        long cardinality(String name) {
            return cardinalities.getOrDefault(name, 0L);
        }
    }

    static String union(String a, String b) {
        return a + "|" + b;
    }

    /** Every HyperLogLog the summary reads, one per bucket. */
    static List<String> sets() {
        List<String> sets = new ArrayList<>(List.of(ContactKeys.ACTIVE, ContactKeys.ESCALATED, ContactKeys.SESSIONS,
                ContactKeys.SESSIONS_ESCALATED));
        TIERS.forEach(tier -> sets.add(ContactKeys.activeOfTier(tier)));
        for (String action : ACTIONS) {
            sets.add(ContactKeys.tried(action));
            sets.add(ContactKeys.selfServed(action));
        }
        return sets;
    }

    /** The cardinalities the summary needs: each set's, and the unions of the containment formulas. */
    static List<List<String>> cardinalities() {
        List<List<String>> wanted = new ArrayList<>();
        sets().forEach(set -> wanted.add(List.of(set)));
        wanted.add(List.of(ContactKeys.ACTIVE, ContactKeys.ESCALATED));
        wanted.add(List.of(ContactKeys.SESSIONS, ContactKeys.SESSIONS_ESCALATED));
        ACTIONS.forEach(action -> wanted.add(List.of(ContactKeys.selfServed(action), ContactKeys.ESCALATED)));
        return wanted;
    }

    static ContactSummary summary(String window, Instant from, Instant to, Totals t,
                                  ContactSummary.@Nullable Now now, ContactProperties properties) {
        return new ContactSummary(window, from, to, selfService(t), escalations(t), queue(t, properties), now,
                protection(t));
    }

    static ContactSummary.SelfService selfService(Totals t) {
        long active = t.cardinality(ContactKeys.ACTIVE);
        long escalated = t.cardinality(ContactKeys.ESCALATED);
        long sessions = t.cardinality(ContactKeys.SESSIONS);
        long sessionsEscalated = t.cardinality(ContactKeys.SESSIONS_ESCALATED);
        List<ContactSummary.ActionFigures> actions = new ArrayList<>();
        for (String action : ACTIONS) {
            long self = t.cardinality(ContactKeys.selfServed(action));
            long applied = t.count("act:" + action + ":applied");
            long appliedByCustomer = t.count("act:" + action + ":self");
            long contained = without(t.cardinality(union(ContactKeys.selfServed(action), ContactKeys.ESCALATED)),
                    escalated, self);
            actions.add(new ContactSummary.ActionFigures(action, t.cardinality(ContactKeys.tried(action)), applied,
                    appliedByCustomer, ratio(contained, t.cardinality(ContactKeys.tried(action))),
                    ratio(appliedByCustomer, applied)));
        }
        return new ContactSummary.SelfService(active, escalated,
                ratio(without(t.cardinality(union(ContactKeys.ACTIVE, ContactKeys.ESCALATED)), escalated, active),
                        active),
                new ContactSummary.Sessions(sessions, sessionsEscalated, ratio(without(t.cardinality(
                        union(ContactKeys.SESSIONS, ContactKeys.SESSIONS_ESCALATED)), sessionsEscalated, sessions),
                        sessions)),
                actions);
    }

    /**
     * |X \ E| = |X ∪ E| − |E|, kept within [0, |X|]: the counts are HyperLogLog estimates (exact for small sets), and
     * an estimate must not make a share below 0 or above 1.
     */
    static long without(long union, long subtracted, long of) {
        return Math.max(0, Math.min(of, union - subtracted));
    }

    static ContactSummary.Escalations escalations(Totals t) {
        long created = t.count("esc");
        long active = t.cardinality(ContactKeys.ACTIVE);
        Map<String, Long> byReason = prefixed(t, "esc.r:");
        Map<String, Long> byChannel = prefixed(t, "esc.c:");
        Map<String, Long> byTier = new TreeMap<>();
        Map<String, @Nullable Double> rateByTier = new TreeMap<>();
        for (String tier : TIERS) {
            long n = t.count("esc.t:" + tier);
            byTier.put(tier, n);
            rateByTier.put(tier, ratio(n, t.cardinality(ContactKeys.activeOfTier(tier))));
        }
        Map<String, @Nullable Double> rateByReason = new TreeMap<>();
        byReason.forEach((reason, n) -> rateByReason.put(reason, ratio(n, active)));
        Map<String, @Nullable Double> rateByChannel = new TreeMap<>();
        // A phone escalation comes from no app session: its rate is its share of all escalations instead.
        byChannel.forEach((channel, n) -> rateByChannel.put(channel, ratio(n, "phone".equals(channel) ? created
                : active)));
        List<ContactSummary.FailedStep> steps = new ArrayList<>();
        prefixed(t, "step:").entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_STEPS)
                .forEach(step -> steps.add(new ContactSummary.FailedStep(step.getKey(), step.getValue(),
                        round(step.getValue() / (double) created))));
        return new ContactSummary.Escalations(created, byReason, byChannel, byTier, rateByTier, rateByReason,
                rateByChannel, steps);
    }

    /** A skill's (or all skills') raw queue counts in the window. */
    record QueueCounts(long answered, long answeredMillis, long answeredWithin, long abandoned, long abandonedMillis,
                       long abandonedWithin, long estimated, long accurate) {

        static QueueCounts of(Totals t, String skill, long thresholdSeconds) {
            String q = "q:" + skill + ":";
            return new QueueCounts(t.count(q + "ans"), t.count(q + "ans.ms"),
                    WaitHistogram.within(t::count, q + "ans", thresholdSeconds), t.count(q + "ab"),
                    t.count(q + "ab.ms"), WaitHistogram.within(t::count, q + "ab", thresholdSeconds),
                    t.count(q + "acc.n"), t.count(q + "acc.ok"));
        }

        QueueCounts plus(QueueCounts o) {
            return new QueueCounts(answered + o.answered, answeredMillis + o.answeredMillis,
                    answeredWithin + o.answeredWithin, abandoned + o.abandoned, abandonedMillis + o.abandonedMillis,
                    abandonedWithin + o.abandonedWithin, estimated + o.estimated, accurate + o.accurate);
        }

        /**
         * Service level = answered within T ÷ (answered + abandoned after T): an escalation abandoned within T
         * counts in neither part.
         */
        ContactSummary.QueueFigures figures(long thresholdSeconds, double target) {
            long abandonedAfter = abandoned - abandonedWithin;
            return new ContactSummary.QueueFigures(answered, abandoned, seconds(answeredMillis, answered),
                    ratio(abandoned, answered + abandoned), seconds(abandonedMillis, abandoned),
                    ratio(answeredWithin, answered + abandonedAfter), thresholdSeconds, target,
                    ratio(accurate, estimated), answeredWithin, abandonedAfter);
        }
    }

    static ContactSummary.Queue queue(Totals t, ContactProperties properties) {
        long threshold = properties.serviceLevelThreshold().toSeconds();
        double target = properties.serviceLevelTarget();
        QueueCounts all = new QueueCounts(0, 0, 0, 0, 0, 0, 0, 0);
        Map<String, ContactSummary.QueueFigures> bySkill = new LinkedHashMap<>();
        for (String skill : SKILLS) {
            QueueCounts counts = QueueCounts.of(t, skill, threshold);
            all = all.plus(counts);
            bySkill.put(skill, counts.figures(threshold, target));
        }
        return new ContactSummary.Queue(all.figures(threshold, target), bySkill);
    }

    static ContactSummary.Protection protection(Totals t) {
        Map<String, Long> requests = new LinkedHashMap<>();
        ContactRecorder.CHANNELS.forEach(channel -> requests.put(channel, t.count("req:" + channel)));
        long near = t.count("cache:near");
        long redis = t.count("cache:redis");
        long lookups = near + redis + t.count("cache:miss");
        Map<String, @Nullable Double> hits = new LinkedHashMap<>();
        hits.put("overall", ratio(near + redis, lookups));
        hits.put("near", ratio(near, lookups));
        hits.put("redis", ratio(redis, lookups));
        TreeSet<String> dependencies = new TreeSet<>(t.breakersNow().keySet());
        t.counts().keySet().stream().filter(f -> f.startsWith("brk:") && f.endsWith(":n"))
                .forEach(f -> dependencies.add(f.substring(4, f.length() - 2)));
        Map<String, ContactSummary.Breaker> breakers = new TreeMap<>();
        for (String dependency : dependencies) {
            breakers.put(dependency, new ContactSummary.Breaker(t.breakersNow().getOrDefault(dependency, "unknown"),
                    ratio(t.count("brk:" + dependency + ":open"), t.count("brk:" + dependency + ":n"))));
        }
        return new ContactSummary.Protection(requests, hits, lookups, prefixed(t, "rl:"), prefixed(t, "shed:"),
                breakers);
    }

    /**
     * A breaker's state now from one minute's reports: open if any instance reported it open, half-open if any
     * reported that, else closed.
     */
    static Map<String, String> breakerStates(Map<String, Long> minute) {
        Map<String, String> states = new TreeMap<>();
        minute.forEach((field, n) -> {
            if (field.startsWith("brk:") && field.endsWith(":n") && n > 0) {
                String dependency = field.substring(4, field.length() - 2);
                states.put(dependency, minute.getOrDefault("brk:" + dependency + ":open", 0L) > 0 ? "open"
                        : minute.getOrDefault("brk:" + dependency + ":half", 0L) > 0 ? "half_open" : "closed");
            }
        });
        return states;
    }

    private static Map<String, Long> prefixed(Totals t, String prefix) {
        Map<String, Long> out = new TreeMap<>();
        t.counts().forEach((field, n) -> {
            if (field.startsWith(prefix) && n != 0) {
                out.put(field.substring(prefix.length()), n);
            }
        });
        return out;
    }

    static @Nullable Double ratio(long part, long whole) {
        return whole <= 0 ? null : round(part / (double) whole);
    }

    static @Nullable Double seconds(long millis, long n) {
        return n <= 0 ? null : Math.round((double) millis / n) / 1000.0;
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static List<String> tiers() {
        List<String> tiers = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            tiers.add(tier.name().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(tiers);
    }

    private static List<String> skills() {
        List<String> skills = new ArrayList<>();
        for (Skill skill : Skill.values()) {
            skills.add(skill.wire());
        }
        return List.copyOf(skills);
    }
}
