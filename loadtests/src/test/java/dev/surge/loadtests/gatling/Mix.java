package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.gatling.javaapi.core.ClosedInjectionStep;

/**
 * A closed-model load shape: concurrent users held at levels and ramped between them. Each scenario of a mix gets
 * its share of every level, so apps and anonymous visitors rise and fall together.
 */
final class Mix {

    private record Step(int from, int to, Duration during) {
    }

    private final List<Step> steps = new ArrayList<>();
    private int level;

    private Mix(int start) {
        this.level = start;
    }

    static Mix startingAt(int users) {
        return new Mix(users);
    }

    Mix hold(Duration during) {
        steps.add(new Step(level, level, during));
        return this;
    }

    Mix rampTo(int users, Duration during) {
        steps.add(new Step(level, users, during));
        level = users;
        return this;
    }

    Duration total() {
        return steps.stream().map(Step::during).reduce(Duration.ZERO, Duration::plus);
    }

    /** This share (0..1) of every level, as Gatling closed injection steps. */
    ClosedInjectionStep[] share(double share) {
        return steps.stream()
                .map(step -> step.from() == step.to()
                        ? constantConcurrentUsers(scaled(step.from(), share)).during(step.during())
                        : rampConcurrentUsers(scaled(step.from(), share)).to(scaled(step.to(), share))
                                .during(step.during()))
                .toArray(ClosedInjectionStep[]::new);
    }

    private static int scaled(int users, double share) {
        return Math.max(1, (int) Math.round(users * share));
    }
}
