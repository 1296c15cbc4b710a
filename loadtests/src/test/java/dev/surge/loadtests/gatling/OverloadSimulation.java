package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.time.Duration;
import java.util.List;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;

/**
 * Overload (issues 5 and 7): an open model, arrivals that do not slow down when the gateway does, at 1× the rate it
 * can serve, then {@code factor} (5×) that for two minutes, then 1× again. Each arrival is one customer read of
 * 100,000 customers (profile, account or an order page: mostly cache misses, each a back-office call, so the gateway
 * and not the load generator is the bottleneck; a shed customer follows the waiting room) or, one in five, an
 * anonymous stock check. Arrivals share a connection pool: they are requests, not people holding connections.
 *
 * <p>A warm-up at half the rate (60 s) comes first: a cold JVM with empty caches serves a fraction of its warm rate.
 * Targets: goodput during the overload at least 90 % of the best 10 s at 1×, accepted p99 under 100 ms, shed
 * p99 under 5 ms, no errors (no collapse). The per-second curve of offered, served and shed is in
 * {@code target/gatling/overload-curve.csv}. Properties ({@code -Dsurge.overload.xxx}): {@code capacity} (req/s
 * at 1×, 1500), {@code factor} (5), {@code warm} (60s), {@code before} (90s), {@code during} (2m),
 * {@code after} (60s).
 */
public class OverloadSimulation extends SurgeSimulation {

    public OverloadSimulation() {
        super("overload", List.of());
        double capacity = Settings.decimal("surge.overload.capacity", 1_500);
        double factor = Settings.decimal("surge.overload.factor", 5);
        Duration before = Settings.duration("surge.overload.before", "90s");
        Duration during = Settings.duration("surge.overload.during", "2m");
        Duration after = Settings.duration("surge.overload.after", "60s");
        Duration rise = Duration.ofSeconds(10);
        // A cold gateway (JIT, empty caches) serves a fraction of its warm rate: warm it at half the rate first.
        Duration warm = Settings.duration("surge.overload.warm", "60s");
        // The overload's own window, its first 20 s (the limit adapting) left out.
        int from = (int) (warm.plus(before).plus(rise).toSeconds() + 20);
        int to = (int) (warm.plus(before).plus(rise).plus(during).toSeconds());

        verdicts.require("goodput under overload at least 90 % of the peak",
                        () -> Outcomes.run().goodputKeptPercent(from, to) >= 90,
                        () -> String.format("%.1f %% (worst 10 s from %d s to %d s over the best 10 s)",
                                Outcomes.run().goodputKeptPercent(from, to), from, to))
                .require("accepted p99 under 100 ms", () -> Outcomes.run().percentile(Outcomes.Kind.SERVED, 99) < 100,
                        () -> Outcomes.run().summary())
                .require("shed p99 under 5 ms", () -> Outcomes.run().percentile(Outcomes.Kind.SHED, 99) < 5,
                        () -> Outcomes.run().summary())
                .require("requests were shed", () -> Outcomes.run().count(Outcomes.Kind.SHED) > 0,
                        () -> "nothing shed at " + factor + " x " + capacity
                                + " req/s: raise -Dsurge.overload.capacity");

        OpenInjectionStep[] shape = {
                rampUsersPerSec(capacity / 10).to(capacity / 2).during(warm),
                rampUsersPerSec(capacity / 2).to(capacity).during(Duration.ofSeconds(10)),
                constantUsersPerSec(capacity).during(before.minusSeconds(10)),
                rampUsersPerSec(capacity).to(capacity * factor).during(rise),
                constantUsersPerSec(capacity * factor).during(during),
                constantUsersPerSec(capacity).during(after)};
        setUp(
                scenario("arrivals").exec(arrival()).injectOpen(shape)
                        .andThen(verdicts.asScenario(gateway.managementUrl()).injectOpen(atOnceUsers(1))))
                .protocols(protocol(1_000).shareConnections())
                .assertions(assertions())
                .maxDuration(warm.plus(before).plus(rise).plus(during).plus(after).plusMinutes(3));
    }

    private static ChainBuilder arrival() {
        return randomSwitch().on(
                percent(80.0).then(exec(Tokens.customer(100_000)).randomSwitch().on(
                        percent(34.0).then(Requests.customerRead("me", "/api/v1/me")),
                        percent(33.0).then(Requests.customerRead("account", "/api/v1/me/account")),
                        percent(33.0).then(Requests.customerRead("orders: list", "/api/v1/me/orders?limit=5")))),
                percent(20.0).then(Journeys.stockChecks(1, Duration.ZERO, Duration.ZERO)));
    }
}
