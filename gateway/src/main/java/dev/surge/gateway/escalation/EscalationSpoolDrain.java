package dev.surge.gateway.escalation;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A last replay of the spool at graceful shutdown, so an instance that stops after Redis came back leaves nothing
 * for its successor. It runs after the web server has stopped (no new escalation can be spooled) and before the
 * Redis client closes, and gives up after {@link #BUDGET}, well within a shutdown phase's time: whatever is not
 * replayed by then (Redis still away, say) stays on disk, and the next instance started on the directory replays it
 * (docs/escalation.md, "The spool survives its pod").
 */
final class EscalationSpoolDrain implements SmartLifecycle {

    /** After the web server stops ({@code DEFAULT_PHASE - 2048}), before the Redis client (phase 0). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;
    /** Longest the drain holds up shutdown. */
    static final Duration BUDGET = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(EscalationSpoolDrain.class);

    private final EscalationIntake intake;
    private volatile boolean running;

    EscalationSpoolDrain(EscalationIntake intake) {
        this.intake = intake;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Called on the thread closing the context (never an event loop), which may wait. */
    @Override
    public void stop() {
        running = false;
        try {
            Integer replayed = intake.replaySpool().block(BUDGET); // the closing thread, never an event loop
            if (replayed != null && replayed > 0) {
                log.info("drained {} spooled escalations into Redis at shutdown", replayed);
            }
        } catch (RuntimeException e) {
            log.warn("spool not drained at shutdown, left on disk for the next instance: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
