package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.time.Duration;
import java.util.List;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * The spike (issue 7): a closed model whose concurrent users go from {@code base} (1,000) to {@code peak}
 * (100,000) and back, each thinking 5–15 s between requests: 80 % mobile apps reading their orders with ETags,
 * 20 % anonymous stock checks, escalations rising with the crowd and agents working them. Each app and visitor
 * holds its own keep-alive connection, from one of 1,000 loopback source addresses.
 *
 * <p>Targets: served p99 under 100 ms, errors other than 429/503 under 1 %, the gateway's heap under 1 GiB, the
 * peak reached, every escalation accounted for. Properties ({@code -Dsurge.spike.xxx}): {@code peak}, {@code base},
 * {@code warm} (1m), {@code ramp} (5m), {@code hold} (3m), {@code rampDown} (2m), {@code cool} (1m),
 * {@code thinkMin} (5s), {@code thinkMax} (15s), {@code agents} (20), {@code shareConnections} (false: one
 * connection per user).
 */
public class SpikeSimulation extends SurgeSimulation {

    private static final double ANONYMOUS_SHARE = 0.2;

    public SpikeSimulation() {
        super("spike", List.of());
        int peak = Settings.integer("surge.spike.peak", 100_000);
        int base = Settings.integer("surge.spike.base", 1_000);
        Duration thinkMin = Settings.duration("surge.spike.thinkMin", "5s");
        Duration thinkMax = Settings.duration("surge.spike.thinkMax", "15s");
        int agents = Settings.integer("surge.spike.agents", 20);
        Mix mix = Mix.startingAt(base)
                .hold(Settings.duration("surge.spike.warm", "1m"))
                .rampTo(peak, Settings.duration("surge.spike.ramp", "5m"))
                .hold(Settings.duration("surge.spike.hold", "3m"))
                .rampTo(base, Settings.duration("surge.spike.rampDown", "2m"))
                .hold(Settings.duration("surge.spike.cool", "1m"));
        Duration total = mix.total();
        // One escalation a second per 5,000 users at the peak (20/s at 100,000), from 1/s.
        double escalationsPerSecond = Math.max(1.0, peak / 5_000.0);

        verdicts.require("served p99 under 100 ms", () -> Outcomes.run().percentile(Outcomes.Kind.SERVED, 99) < 100,
                        () -> Outcomes.run().summary())
                .require("peak concurrent users reached", () -> Outcomes.run().maxActiveUsers() >= peak * 0.95,
                        () -> "max active users " + Outcomes.run().maxActiveUsers() + " of " + peak)
                .require("gateway heap under 1 GiB", () -> gateway.maxHeapMib() > 0 && gateway.maxHeapMib() < 1024,
                        gateway::memory)
                .escalations(false);

        HttpProtocolBuilder protocol = protocol(1_000);
        if (Boolean.getBoolean("surge.spike.shareConnections")) {
            protocol = protocol.shareConnections();
        }
        setUp(
                scenario("mobile app").exec(Journeys.mobileApp(100_000, 6, thinkMin, thinkMax))
                        .injectClosed(mix.share(1 - ANONYMOUS_SHARE)),
                scenario("anonymous stock checks").exec(Journeys.stockChecks(6, thinkMin, thinkMax))
                        .injectClosed(mix.share(ANONYMOUS_SHARE)),
                scenario("escalate and wait")
                        .exec(Journeys.escalateAndWait(100_000, 12, Duration.ofSeconds(10)))
                        .injectOpen(rampUsersPerSec(1).to(escalationsPerSecond).during(total.dividedBy(2)),
                                rampUsersPerSec(escalationsPerSecond).to(1).during(total.dividedBy(2))),
                agentsThenVerdicts(agents, total.plusSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(3), 20))
                .protocols(protocol)
                .assertions(assertions())
                .maxDuration(total.plusMinutes(6));
    }
}
