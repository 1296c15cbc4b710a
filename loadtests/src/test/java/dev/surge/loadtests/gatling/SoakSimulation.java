package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.time.Duration;
import java.util.List;

/**
 * Soak (issue 7): a steady closed-model load for {@code duration} (30 min by default): {@code users} concurrent
 * (2,000: 80 % mobile apps, 20 % anonymous, ramped in over the first minute) thinking 2–6 s (about 500 requests a
 * second), escalations at 2 a second and agents working them. Latency and memory must stay flat: the mean served
 * latency of the last quarter within twice the second quarter's plus 2 ms, and the gateway's RSS (heap when the PID
 * is unknown) in the second half within 10 % of the first half's, after a two-minute warm-up. Properties
 * ({@code -Dsurge.soak.xxx}): {@code duration}, {@code users}, {@code thinkMin}, {@code thinkMax}.
 */
public class SoakSimulation extends SurgeSimulation {

    private static final Duration WARM_UP = Duration.ofMinutes(2);

    public SoakSimulation() {
        super("soak", List.of());
        Duration duration = Settings.duration("surge.soak.duration", "30m");
        int users = Settings.integer("surge.soak.users", 2_000);
        Duration thinkMin = Settings.duration("surge.soak.thinkMin", "2s");
        Duration thinkMax = Settings.duration("surge.soak.thinkMax", "6s");
        long warm = WARM_UP.toSeconds();
        long end = duration.toSeconds();
        long quarter = (end - warm) / 4;
        long half = warm + (end - warm) / 2;

        verdicts.require("served p99 under 100 ms", () -> Outcomes.run().percentile(Outcomes.Kind.SERVED, 99) < 100,
                        () -> Outcomes.run().summary())
                .require("latency flat", () -> latestQuarter(warm, quarter) <= 2 * secondQuarter(warm, quarter) + 2,
                        () -> String.format("mean served %.2f ms in the second quarter, %.2f ms in the last",
                                secondQuarter(warm, quarter), latestQuarter(warm, quarter)))
                .require("memory flat",
                        () -> gateway.maxMemoryMib(half, end + 60) <= 1.1 * gateway.maxMemoryMib(warm, half),
                        () -> "max " + gateway.maxMemoryMib(warm, half) + " MiB in the first half, "
                                + gateway.maxMemoryMib(half, end + 60) + " MiB in the second; " + gateway.memory())
                .escalations(false);

        // Users arrive over the warm-up's first minute: all at once, a cold gateway's first reads (every one a cache
        // miss) time out, which is the spike's subject, not the soak's.
        Mix mix = Mix.startingAt(1).rampTo(users, Duration.ofMinutes(1)).hold(duration.minusMinutes(1));
        setUp(
                scenario("mobile app").exec(Journeys.mobileApp(100_000, 10, thinkMin, thinkMax))
                        .injectClosed(mix.share(0.8)),
                scenario("anonymous stock checks").exec(Journeys.stockChecks(10, thinkMin, thinkMax))
                        .injectClosed(mix.share(0.2)),
                scenario("escalate and wait").exec(Journeys.escalateAndWait(100_000, 12, Duration.ofSeconds(5)))
                        .injectOpen(constantUsersPerSec(2).during(duration)),
                agentsThenVerdicts(10, duration.plusSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(4), 20))
                .protocols(protocol(250))
                .assertions(assertions())
                .maxDuration(duration.plusMinutes(5));
    }

    private static double secondQuarter(long warm, long quarter) {
        return Outcomes.run().meanServedMillis((int) (warm + quarter), (int) (warm + 2 * quarter));
    }

    private static double latestQuarter(long warm, long quarter) {
        return Outcomes.run().meanServedMillis((int) (warm + 3 * quarter), (int) (warm + 4 * quarter));
    }
}
