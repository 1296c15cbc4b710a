package dev.surge.gateway.queue;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Every change to any escalation, on any instance: the scripts publish {@code "<id> <skill> <status>"} on one channel
 * in the same atomic step as the change, and this instance listens once and fans out to its SSE streams. One Redis
 * subscription per instance, however many customers and desktops are watching.
 */
final class EscalationChanges {

    private static final Logger log = LoggerFactory.getLogger(EscalationChanges.class);

    private final ReactiveRedisMessageListenerContainer container;
    // Best effort per watcher: a slow SSE client misses intermediate changes, never blocks the others, and always
    // reads the current state on the next one.
    private final Sinks.Many<CustomerQueue.Change> sink = Sinks.many().multicast().directBestEffort();

    EscalationChanges(ReactiveRedisMessageListenerContainer container) {
        this.container = container;
    }

    Flux<CustomerQueue.Change> changes() {
        return sink.asFlux();
    }

    /** The subscription that feeds {@link #changes()}; resubscribes with backoff when Redis goes away. */
    Flux<?> listen() {
        return container.receive(ChannelTopic.of(EscalationKeys.CHANGES))
                .doOnNext(message -> {
                    String[] parts = message.getMessage().split(" ");
                    Skill skill = parts.length == 3 ? Skill.fromWire(parts[1]) : null;
                    if (skill != null) {
                        sink.tryEmitNext(new CustomerQueue.Change(parts[0], skill, parts[2]));
                    }
                })
                .doOnError(e -> log.warn("escalation change channel lost, resubscribing: {}", e.toString()))
                // Resubscribing opens a connection synchronously: done where blocking is allowed.
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .scheduler(Schedulers.boundedElastic()));
    }
}
