package dev.surge.gateway.agent;

import java.time.Duration;

import reactor.core.publisher.Mono;

import dev.surge.gateway.queue.EscalationQueue;

/**
 * Returns reservations that were not accepted in time to their original place, and reclaims what agents hold who
 * are gone (no request, heartbeat or open feed within the presence timeout), whichever gateway instance they used.
 * Also refreshes the queue gauges. Time is the injected clock's, so tests move it and call {@link #reap()}.
 */
public final class ReservationReaper {

    private final EscalationQueue queue;
    private final Duration presenceTimeout;
    private final AgentMetrics metrics;

    ReservationReaper(EscalationQueue queue, Duration presenceTimeout, AgentMetrics metrics) {
        this.queue = queue;
        this.presenceTimeout = presenceTimeout;
        this.metrics = metrics;
    }

    public Mono<EscalationQueue.Reaped> reap() {
        return queue.reap(presenceTimeout)
                .doOnNext(metrics::reaped)
                .flatMap(reaped -> queue.queues().thenReturn(reaped));
    }
}
