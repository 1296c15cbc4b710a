package dev.surge.gateway.journey;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * A customer's recent self-service steps, as the hand-off shows them to an agent: each a JSON object with the time,
 * method, path template (and order id), status and cache outcome, newest first.
 */
public interface Journeys {

    /** Stands for "the journey could not be read" in what callers put in place of {@link #recent}. */
    String MISSING = "";

    /**
     * The customer's newest steps, at most {@code surge.escalation.journey.size}, with what this instance has not
     * written to Redis yet; fails (bounded by the journey's Redis timeout) when Redis cannot be read.
     */
    Mono<List<String>> recent(String customer);

    /**
     * Records a step an agent took for the customer (an action on their behalf), so the journey, and the next agent,
     * show it with who did it. {@code path} is the customer API's path of the same action. Never fails, no I/O.
     */
    void recordOnBehalf(String customer, String agentId, String method, String path, int status, long atMillis);
}
