package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.time.Duration;
import java.util.List;

/**
 * Escalation storm (issue 7): many customers reaching for a person at once ({@code rate} per second, 50, for
 * {@code storm}, 2 min, after a 20 s rise), each retrying with the same Idempotency-Key on 429/503 and one in ten
 * re-sending a request that already succeeded, then polling its status; {@code agents} (20, fewer than the storm
 * needs, so a backlog is left to count) claim, accept, handle for 0.5–2 s and resolve. After the storm every
 * escalation created is read back with its customer's token and the agents' queue figures are read: the exact count
 * must hold (created = resolved + still open, the waiting ones equal to the queue depth), nothing lost, nothing
 * duplicated. Beside them, {@code actionRate} customers a second (5) try self-service first
 * ({@link SelfServiceActions}: read an order's actions, return or cancel, a refusal's prefilled escalation sent as it
 * is by half of them): their escalations join the count, and their writes are counted and verified like the
 * escalations (each key made exactly once, none lost), the figures in the summary. Properties
 * ({@code -Dsurge.storm.xxx}): {@code rate}, {@code storm}, {@code agents}, {@code actionRate}.
 */
public class EscalationStormSimulation extends SurgeSimulation {

    public EscalationStormSimulation() {
        super("storm", List.of());
        double rate = Settings.decimal("surge.storm.rate", 50);
        Duration storm = Settings.duration("surge.storm.storm", "2m");
        int agents = Settings.integer("surge.storm.agents", 20);
        double actionRate = Settings.decimal("surge.storm.actionRate", 5);
        Duration rise = Duration.ofSeconds(20);

        verdicts.escalations(true).writes(false);

        setUp(
                scenario("escalate and wait").exec(Journeys.escalateAndWait(100_000, 30, Duration.ofSeconds(2)))
                        .injectOpen(rampUsersPerSec(1).to(rate).during(rise), constantUsersPerSec(rate).during(storm)),
                scenario("self-service first").exec(Journeys.selfServiceFirst(100_000))
                        .injectOpen(constantUsersPerSec(actionRate).during(rise.plus(storm))),
                agentsThenVerdicts(agents, rise.plus(storm).plusSeconds(60), Duration.ofMillis(500),
                        Duration.ofSeconds(2), 20))
                .protocols(protocol(250))
                .assertions(assertions())
                .maxDuration(rise.plus(storm).plusMinutes(6));
    }
}
