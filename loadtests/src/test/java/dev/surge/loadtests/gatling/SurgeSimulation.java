package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * What every Surge simulation shares: the gateway under load ({@link Gateway}), the HTTP protocol (loopback source
 * addresses, JSON), the targets checked after the load ({@link Verdicts}) and, at the end, a summary line with the
 * outcome split, escalation and write counts and the gateway's memory, printed and appended to
 * {@code target/gatling/<name>-summary.txt}, plus the per-second curve in {@code target/gatling/<name>-curve.csv}
 * and the gateway's memory samples in {@code <name>-memory.csv}.
 */
abstract class SurgeSimulation extends Simulation {

    protected final String name;
    protected final Gateway gateway;
    protected final Verdicts verdicts = new Verdicts();

    protected SurgeSimulation(String name, List<String> gatewayArgs) {
        this.name = name;
        this.gateway = Gateway.forRun(name, gatewayArgs);
    }

    /** JSON over keep-alive connections from {@code addresses} loopback source addresses. */
    protected HttpProtocolBuilder protocol(int addresses) {
        return http.baseUrl(gateway.baseUrl())
                .localAddresses(Settings.localAddresses(addresses))
                .acceptHeader("application/json")
                .userAgentHeader("surge-gatling")
                .warmUp(gateway.managementUrl() + "/actuator/health/liveness");
    }

    /**
     * Agents working for {@code shift}, then (once they stopped) every escalation read back by {@code readers} users,
     * then every self-service write verified by as many (sent again while its answer is unknown, read back when
     * made), then the back office's write counts read, then the verdicts: the population that ends a run with
     * escalations and actions.
     */
    protected PopulationBuilder agentsThenVerdicts(int agents, Duration shift, Duration handleMin, Duration handleMax,
                                                   int readers) {
        return scenario("agents").exec(Journeys.agentShift(shift, handleMin, handleMax))
                .injectOpen(atOnceUsers(agents))
                .andThen(Verdicts.readBackEscalations().injectOpen(atOnceUsers(readers))
                        .andThen(scenario("writes: verify").exec(SelfServiceActions.verifyWrites())
                                .injectOpen(atOnceUsers(readers))
                                .andThen(scenario("writes: back-office stats")
                                        .exec(SelfServiceActions.backOfficeStats()).injectOpen(atOnceUsers(1))
                                        .andThen(verdicts.asScenario(gateway.managementUrl())
                                                .injectOpen(atOnceUsers(1))))));
    }

    /** Errors other than the deliberate 429/503 under 1 % (timeouts included), plus one assertion per verdict. */
    protected Assertion[] assertions() {
        List<Assertion> all = new ArrayList<>();
        all.add(global().failedRequests().percent().lt(1.0));
        all.addAll(verdicts.assertions());
        return all.toArray(Assertion[]::new);
    }

    @Override
    public void before() {
        gateway.awaitReadyAndSample();
        // The back office's write counts before the load: the write ledger compares what the run added.
        WriteLedger.run().backOfficeBefore(gateway.body("/demo/backoffice/stats"));
    }

    @Override
    public void after() {
        gateway.stop();
        String summary = "SURGE_GATLING " + name + " at " + Instant.now() + ": " + Outcomes.run().summary()
                + (EscalationLedger.run().created() > 0 ? " " + EscalationLedger.run().summary() : "")
                + (WriteLedger.run().keys() > 0 ? " " + WriteLedger.run().summary() : "")
                + " " + gateway.memory() + extraSummary();
        System.out.println(summary);
        try {
            Path dir = Path.of("target", "gatling");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + "-summary.txt"), summary + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Outcomes.run().writeCurve(dir.resolve(name + "-curve.csv"));
            gateway.writeSamples(dir.resolve(name + "-memory.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** More figures for the summary line (leading space). */
    protected String extraSummary() {
        return "";
    }
}
