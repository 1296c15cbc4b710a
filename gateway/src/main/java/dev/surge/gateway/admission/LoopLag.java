package dev.surge.gateway.admission;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * How late the HTTP event loops get to work that is due, published as the timer {@code surge.admission.loop.lag}. A
 * probe on every loop re-arms itself every {@code interval} and records how late it ran: on a loop that keeps up
 * that is tens of microseconds; on a loop whose thread is busy, or waits for a core, it is as long as a request
 * arriving then waits before anything reads it. That wait comes before admission sees the request, so the adaptive
 * limit (which times admitted requests) cannot see it, and it is most of a shed request's latency on a saturated
 * CPU: ops read it beside {@code surge.admission.requests} to tell "shedding" from "shedding, but too late". Netty
 * has no such measure; the cost is one scheduled task per loop per interval.
 */
final class LoopLag {

    private final List<Probe> probes = new ArrayList<>();
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Timer timer;
    private volatile boolean running;

    LoopLag(EventLoopGroup loops, Duration interval, LongSupplier nanoClock, MeterRegistry registry) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.timer = Timer.builder("surge.admission.loop.lag")
                .description("How late the HTTP event loops run a task that is due: the wait of a request that "
                        + "arrives before it is read")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
                        Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100))
                .register(registry);
        for (EventExecutor loop : loops) {
            probes.add(new Probe(loop));
        }
    }

    void start() {
        running = true;
        probes.forEach(probe -> probe.loop.execute(probe::arm));
    }

    void stop() {
        running = false;
        probes.forEach(Probe::cancel);
    }

    /** One loop's probe: runs on that loop only, and re-arms itself from there. */
    private final class Probe implements Runnable {
        final EventExecutor loop;
        /** When the next run is due; written and read on the loop only. */
        long due;
        volatile ScheduledFuture<?> next;

        Probe(EventExecutor loop) {
            this.loop = loop;
        }

        void arm() {
            if (running) {
                due = nanoClock.getAsLong() + intervalNanos;
                next = loop.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void run() {
            timer.record(Math.max(0, nanoClock.getAsLong() - due), TimeUnit.NANOSECONDS);
            arm();
        }

        void cancel() {
            ScheduledFuture<?> scheduled = next;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
