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
                .escalations(false);

        Duration think = Duration.ofMillis(500);
        Duration thinkMax = Duration.ofSeconds(2);
        Mix mix = Mix.startingAt(360).hold(LOAD);
        setUp(
                scenario("mobile app").exec(Journeys.mobileApp(20_000, 10, think, thinkMax))
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
