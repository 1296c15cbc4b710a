package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.gatling.javaapi.core.Assertion;

/**
 * Chaos (issue 7): steady load (mobile apps, anonymous visitors, escalations, agents) while the back office is
 * first slowed past the gateway's 2 s timeout, then failing outright, then healed (through
 * {@code /demo/backoffice/faults}), and then Redis is killed by PID and started again 20 s later. The run starts
 * that Redis itself ({@link RedisProcess}) and points the gateway at it. What customers saw is asserted: every
 * request answered (no hangs past Gatling's 10 s timeout), 503s fast, stale answers served while the back office
 * failed, and every escalation created (some while Redis was away, spooled by the gateway and replayed) accounted
 * for and none duplicated. Errors (502/504) are expected here and counted, not asserted away. Needs a gateway the
 * run starts (it owns Redis): {@code -Dsurge.baseUrl} is refused. The timeline is logged into the summary.
 *
 * <p>Self-service writes (a fifth of app sessions act here, {@code -Dsurge.actions.share}) meet two faults of their
 * own before the back office slows down: first half the writes are made and then their answer is lost (502), then
 * every write is made and its answer comes after the gateway's 2 s timeout (504); later the slow and failing back
 * office and the Redis outage hit them too. Apps retry with the same key; what is still unknown when they give up is
 * sent again, with the same key, after the load. Asserted: some writes lost their answer and were sent again, and no
 * write was made twice (the back office's applied writes equal the keys answered as made), none answered two ways,
 * none lost.
 */
public class ChaosSimulation extends SurgeSimulation {

    private static final Duration LOAD = Duration.ofSeconds(190);

    private static RedisProcess redis;

    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService conductor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "chaos-conductor");
        thread.setDaemon(true);
        return thread;
    });

    public ChaosSimulation() {
        super("chaos", redisArgs());
        verdicts.require("no hangs: every request answered", () -> Outcomes.run().unanswered() == 0,
                        () -> Outcomes.run().summary())
                .require("fast 503s: p99 under 50 ms", () -> Outcomes.run().percentile(Outcomes.Kind.SHED, 99) < 50,
                        () -> Outcomes.run().summary())
                .require("stale answers while the back office failed", () -> Outcomes.run().stale() > 0,
                        () -> Outcomes.run().summary())
                .require("writes whose answer was lost were sent again with the same key",
                        () -> WriteLedger.run().recoveredAfterUnknown() > 0, () -> WriteLedger.run().summary())
                .escalations(false)
                .writes(true);

        Duration think = Duration.ofMillis(500);
        Duration thinkMax = Duration.ofSeconds(2);
        Mix mix = Mix.startingAt(360).hold(LOAD);
        setUp(
                scenario("mobile app").exec(Journeys.mobileApp(20_000, 10, think, thinkMax,
                                Settings.decimal("surge.actions.share", 0.2), SelfServiceActions.STALE))
                        .injectClosed(mix.share(300 / 360.0)),
                scenario("anonymous stock checks").exec(Journeys.stockChecks(10, think, thinkMax))
                        .injectClosed(mix.share(60 / 360.0)),
                scenario("escalate and wait").exec(Journeys.escalateAndWait(20_000, 10, Duration.ofSeconds(3)))
                        .injectOpen(constantUsersPerSec(5).during(LOAD)),
                agentsThenVerdicts(10, LOAD.plusSeconds(40), Duration.ofMillis(500), Duration.ofSeconds(2), 20))
                .protocols(protocol(100))
                .assertions(assertions())
                .maxDuration(LOAD.plusMinutes(4));
    }

    private static List<String> redisArgs() {
        if (Settings.baseUrlOrNull() != null) {
            throw new IllegalArgumentException("ChaosSimulation starts its own gateway and Redis: drop -D"
                    + Settings.BASE_URL);
        }
        redis = RedisProcess.start(Path.of("target", "gatling", "chaos-redis"));
        return List.of("--spring.data.redis.url=redis://127.0.0.1:" + redis.port());
    }

    @Override
    protected Assertion[] assertions() {
        return verdicts.assertions().toArray(Assertion[]::new);
    }

    @Override
    public void before() {
        super.before();
        at(15, "writes made, then half their answers lost (afterApply, 502)", () -> gateway.send("PUT",
                "/demo/backoffice/faults", "{\"writes\":{\"afterApply\":true,\"errorRate\":0.5}}"));
        at(28, "writes made, their answers late past the 2 s timeout (afterApply, 3 s)", () -> gateway.send("PUT",
                "/demo/backoffice/faults", "{\"writes\":{\"afterApply\":true,\"latencyMs\":3000}}"));
        at(40, "back office slowed to 3 s (past the 2 s timeout)",
                () -> gateway.send("PUT", "/demo/backoffice/faults", "{\"latencyMs\":3000}"));
        at(70, "back office failing (every call 5xx)",
                () -> gateway.send("PUT", "/demo/backoffice/faults", "{\"errorRate\":1.0}"));
        at(100, "back office healed", () -> gateway.send("DELETE", "/demo/backoffice/faults", ""));
        at(120, "Redis killed (SIGKILL pid " + redis.pid() + ")", () -> {
            redis.kill();
            return 0;
        });
        at(140, "Redis started again", () -> {
            redis.start();
            return (int) redis.pid();
        });
    }

    private interface Action {
        int run();
    }

    private void at(int second, String what, Action action) {
        conductor.schedule(() -> {
            int result = action.run();
            timeline.add(second + "s " + what + " (" + result + ") at " + Instant.now());
        }, second, TimeUnit.SECONDS);
    }

    @Override
    public void after() {
        conductor.shutdownNow();
        super.after();
        redis.kill();
    }

    @Override
    protected String extraSummary() {
        return " timeline=" + new ArrayList<>(timeline);
    }
}
