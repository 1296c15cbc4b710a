package dev.surge.gateway.idempotency;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * The keys of the writes this instance is working on, so that a retry arriving meanwhile is told 409 (the draft's
 * "still being processed") instead of doing the write again. Local, so it costs no Redis call; a concurrent retry
 * that reaches another instance is caught by what the write itself stores under the key (the escalation's enqueue
 * script, or {@link IdempotentWrites}' working mark).
 */
public final class InProgress {

    private final ConcurrentMap<String, Object> working = new ConcurrentHashMap<>();

    /**
     * Runs the write unless one with the key is in progress here (then 409). The mark is let go as the answer is
     * known, before it is sent (a retry right after the answer must not be told 409), or when the caller leaves;
     * only this attempt's mark, never a later one's.
     */
    public <T> Mono<T> guard(String key, Supplier<Mono<T>> write) {
        return Mono.defer(() -> {
            Object attempt = new Object();
            if (working.putIfAbsent(key, attempt) != null) {
                return Mono.error(IdempotencyKeys.inUse());
            }
            return write.get()
                    .doOnTerminate(() -> working.remove(key, attempt))
                    .doOnCancel(() -> working.remove(key, attempt));
        });
    }
}
