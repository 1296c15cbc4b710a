package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.ScenarioBuilder;

/**
 * Targets that Gatling's statistics cannot state (its response-time assertions mix served and shed requests) or
 * that need the gateway's word after the load (escalations read back). Each becomes one request named
 * {@code verdict: <target>} after the load, which passes only when the target was met (the measured figures are
 * printed as a {@code VERDICT} line either way), plus a Gatling assertion that it passed: so it shows in the HTML
 * report and fails the build like any assertion.
 */
final class Verdicts {

    private record Verdict(String name, BooleanSupplier met, Supplier<String> actual) {
    }

    private final List<Verdict> verdicts = new ArrayList<>();

    /** Adds a target: {@code met} is evaluated after the load; {@code actual} describes what was measured. */
    Verdicts require(String name, BooleanSupplier met, Supplier<String> actual) {
        verdicts.add(new Verdict(name, met, actual));
        return this;
    }

    /**
     * The escalation targets: every escalation created accounted for (created = resolved + abandoned + still open,
     * none unknown to the gateway), none duplicated, and, when {@code queueDepth}, the agents' queue depth equal to
     * the escalations still waiting (only true on a gateway whose Redis holds nothing but this run's escalations).
     */
    Verdicts escalations(boolean queueDepth) {
        EscalationLedger ledger = EscalationLedger.run();
        require("every escalation accounted for", () -> ledger.created() > 0 && ledger.lost() == 0
                && ledger.created() == ledger.count("resolved") + ledger.count("abandoned") + ledger.stillOpen(),
                ledger::summary);
        require("no escalation duplicated", () -> ledger.duplicated() == 0, ledger::summary);
        if (queueDepth) {
            require("queue depth equals the escalations still waiting",
                    () -> ledger.queueDepth() == ledger.waiting(), ledger::summary);
        }
        return this;
    }

    /**
     * The write targets: no Idempotency-Key answered two ways (retries and re-sends got the first final answer),
     * every key made exactly once (the back office's applied writes over the run equal the keys answered as made,
     * none left without a final answer after the verification), and nothing lost (every made return and
     * cancellation read back). With {@code someMade}, at least one write must have been made at all.
     */
    Verdicts writes(boolean someMade) {
        WriteLedger ledger = WriteLedger.run();
        require("no write key answered two ways", () -> ledger.answeredDifferently() == 0
                && ledger.finalCount(WriteLedger.Answer.REUSED) == 0, ledger::summary);
        require("every write made exactly once (back office applied = keys answered as made)",
                ledger::exactlyOnce, ledger::summary);
        require("no write lost (every made return and cancellation read back)", () -> ledger.lost() == 0,
                ledger::summary);
        if (someMade) {
            require("self-service writes were made", () -> ledger.made() > 0, ledger::summary);
        }
        return this;
    }

    /** The requests that state each verdict, one after the other, each a liveness probe on the management port. */
    ScenarioBuilder asScenario(String managementUrl) {
        ChainBuilder chain = exec(session -> session);
        for (Verdict verdict : verdicts) {
            chain = chain.exec(http("verdict: " + verdict.name()).get(managementUrl + "/actuator/health/liveness")
                    .check(bodyString().transform(body -> judge(verdict)).is("met")));
        }
        return CoreDsl.scenario("verdicts").exec(chain);
    }

    private static String judge(Verdict verdict) {
        if (verdict.met().getAsBoolean()) {
            System.out.println("VERDICT met: " + verdict.name() + " (" + verdict.actual().get() + ")");
            return "met";
        }
        System.out.println("VERDICT NOT MET: " + verdict.name() + ": " + verdict.actual().get());
        return "not met";
    }

    /** One Gatling assertion per verdict. */
    List<Assertion> assertions() {
        return verdicts.stream()
                .map(v -> details("verdict: " + v.name()).failedRequests().count().is(0L))
                .toList();
    }

    /**
     * Reads back every escalation the run created, with its customer's token (answers of 429/503 are retried a
     * second later, a few times), then one agent reads the queue figures: what the ledger's exact count compares.
     */
    static ScenarioBuilder readBackEscalations() {
        return CoreDsl.scenario("escalations: read back")
                .exec(session -> session.set("more", true))
                .asLongAs(session -> session.getBoolean("more")).on(
                        exec(session -> {
                            String[] next = EscalationLedger.run().nextToVerify();
                            return next == null ? session.set("more", false)
                                    : session.set("escalationId", next[0]).set(Tokens.TOKEN, next[1])
                                            .set("readBack", "").set("tries", 0);
                        })
                                .doIf(session -> session.getBoolean("more")).then(
                                        asLongAs(session -> session.getString("readBack").isEmpty()).on(
                                                exec(readBackOne()))))
                .exec(Tokens.agent())
                .exec(http("escalations: queue figures").get("/api/v1/agent/queues")
                        .header("Authorization", "Bearer #{" + Tokens.TOKEN + "}")
                        .check(status().is(200), jmesPath("queues[*].depth").ofList().saveAs("depths")))
                .exec(session -> {
                    long depth = 0;
                    for (Object d : session.getList("depths")) {
                        depth += ((Number) d).longValue();
                    }
                    EscalationLedger.run().queueDepth(depth);
                    return session;
                });
    }

    private static ChainBuilder readBackOne() {
        return exec(Requests.customerGet("escalations: read back", "/api/v1/escalations/#{escalationId}")
                .check(status().saveAs("readBackStatus"), status().in(200, 404, 429, 503))
                .checkIf((response, session) -> response.status().code() == 200)
                .then(jmesPath("status").saveAs("escalationStatus")))
                .exec(session -> {
                    int code = session.contains("readBackStatus") ? session.getInt("readBackStatus") : -1;
                    int tries = session.getInt("tries") + 1;
                    boolean retry = (code == 429 || code == 503 || code == -1) && tries < 10;
                    if (retry) {
                        return session.set("tries", tries).remove("readBackStatus");
                    }
                    String status = code == 200 ? session.getString("escalationStatus") : "http-" + code;
                    EscalationLedger.run().verified(session.getString("escalationId"), status);
                    return session.set("readBack", status).remove("escalationStatus").remove("readBackStatus");
                })
                .doIf(session -> session.getString("readBack").isEmpty()).then(pause(Duration.ofSeconds(1)));
    }
}
