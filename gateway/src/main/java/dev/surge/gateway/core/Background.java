package dev.surge.gateway.core;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Background work that lives as long as the application: subscribed on start, disposed on stop. Either a task run
 * every interval ({@link #every}: one run at a time, a tick that comes while the previous run is still going is
 * skipped, failures logged and survived) or a stream kept subscribed ({@link #of}). Used for the spool replay, the
 * journey flush, the rate-limit sync, the change listener, the reservation reaper, webhook delivery and the waiting
 * room's ticks; the tasks themselves are plain methods, so tests call them directly.
 */
public final class Background implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Background.class);

    private final Supplier<Flux<?>> work;
    private volatile Disposable running;

    private Background(Supplier<Flux<?>> work) {
        this.work = work;
    }

    public static Background of(Supplier<Flux<?>> work) {
        return new Background(work);
    }

    /**
     * Ticks on a thread that may block: Spring Data Redis connects lazily and synchronously the first time after a
     * reset (Redis restarted), so periodic Redis work there lets that reconnect happen off the event loops, for every
     * Redis user of the instance.
     */
    public static Background every(String name, Duration interval, Supplier<Mono<?>> task) {
        return new Background(() -> Flux.interval(interval, Schedulers.boundedElastic())
                .onBackpressureDrop()
                // subscribeOn: a run that follows a slow one would otherwise start on the thread that completed the
                // slow one, typically Lettuce's event loop, and issue its commands from inside another's completion.
                .concatMap(tick -> Mono.defer(task).subscribeOn(Schedulers.boundedElastic()).onErrorResume(e -> {
                    log.warn("{} failed: {}", name, e.toString());
                    return Mono.empty();
                }), 1));
    }

    @Override
    public void start() {
        running = work.get().subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable current = running;
        return current != null && !current.isDisposed();
    }
}
