package dev.surge.gateway.queue;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Told when a waiting escalation leaves its queue for good: answered (an agent accepted it) or abandoned (its
 * customer, or the phone system that made it, gave it up while it waited). Fleet-wide contact metrics are built from
 * these. Implementations must return at once and never fail: they run on the thread that completed the Redis step,
 * after it is done, and the agent's or customer's answer waits for them.
 */
public interface QueueListener {

    /**
     * An agent accepted the escalation (the first accept only).
     *
     * @param waited from creation, or for a callback from the opening of its window, to the accept
     * @param estimated the wait the customer was told at creation; null for a callback (it waits for its window,
     *                  not in the queue) or when none was given
     */
    record Answered(String id, Skill skill, Duration waited, @Nullable Duration estimated, boolean callback,
                    Instant at) {
    }

    /**
     * The escalation was given up while it waited (queued, a callback whose window had opened, or offered to an agent
     * who had not accepted yet). A callback given up before its window opened never waited in the queue and is not
     * told.
     */
    record Abandoned(String id, Skill skill, Duration waited, boolean callback, Instant at) {
    }

    default void answered(Answered answered) {
    }

    default void abandoned(Abandoned abandoned) {
    }
}
