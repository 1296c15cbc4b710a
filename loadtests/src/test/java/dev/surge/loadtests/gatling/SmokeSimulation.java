package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.time.Duration;
import java.util.List;

/**
 * The suite in small, inside {@code mvn -B verify} (so CI proves it works): every scenario for about 40 s with a
 * few dozen users on a gateway the build starts, then every escalation read back and every self-service write
 * verified. Checks behaviour, not speed: no errors, ETag revalidation answered 304, every escalation accounted for,
 * none duplicated, writes made, each exactly once, none lost, some refused. Half the app sessions act here
 * ({@code -Dsurge.actions.share}, 0.5 in the smoke run), and every one whose order allows nothing tries a return
 * anyway ({@code -Dsurge.actions.stale}, 1.0 here), so its few dozen sessions make some writes and meet refusals.
 */
public class SmokeSimulation extends SurgeSimulation {

    public SmokeSimulation() {
        super("smoke", List.of());
        Duration think = Duration.ofMillis(300);
        Duration thinkMax = Duration.ofMillis(900);
        Duration shift = Duration.ofSeconds(30);

        verdicts.require("no errors", () -> Outcomes.run().count(Outcomes.Kind.ERROR) == 0,
                () -> Outcomes.run().summary())
                .require("ETag revalidation answered 304", () -> Outcomes.run().notModified() > 0,
                        () -> Outcomes.run().notModified() + " of " + Outcomes.run().total() + " answered 304")
                .escalations(true)
                .writes(true)
                .require("refused actions answered as refusals", () -> WriteLedger.run()
                        .finalCount(WriteLedger.Answer.REFUSED) > 0, () -> WriteLedger.run().summary());

        setUp(
                scenario("mobile app").exec(Journeys.mobileApp(200, 4, think, thinkMax,
                                Settings.decimal("surge.actions.share", 0.5),
                                Settings.decimal("surge.actions.stale", 1.0)))
                        .injectOpen(rampUsers(30).during(Duration.ofSeconds(10))),
                scenario("anonymous stock checks").exec(Journeys.stockChecks(5, think, thinkMax))
                        .injectOpen(rampUsers(10).during(Duration.ofSeconds(10))),
                scenario("escalate and wait").exec(Journeys.escalateAndWait(200, 10, Duration.ofSeconds(1)))
                        .injectOpen(rampUsers(12).during(Duration.ofSeconds(10))),
                agentsThenVerdicts(2, shift, Duration.ofMillis(100), Duration.ofMillis(400), 4))
                .protocols(protocol(20))
                .assertions(assertions())
                .maxDuration(Duration.ofSeconds(90));
    }

}
