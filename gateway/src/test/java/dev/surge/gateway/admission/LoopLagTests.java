package dev.surge.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;

/**
 * The loop-lag probe on a real Netty event loop this test owns (the server's loops in an integration test are Reactor
 * Netty's global ones, which another test context may dispose meanwhile).
 */
class LoopLagTests {

    EventLoopGroup loops;
    SimpleMeterRegistry registry;
    LoopLag loopLag;

    @BeforeEach
    void start() {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        registry = new SimpleMeterRegistry();
        loopLag = new LoopLag(loops, Duration.ofMillis(10), System::nanoTime, registry);
        loopLag.start();
    }

    @AfterEach
    void stop() {
        loopLag.stop();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aLoopKeptBusyShowsAsLateProbes() throws Exception {
        Timer lag = registry.get("surge.admission.loop.lag").timer();
        EventExecutor loop = loops.next();
        // A probe has run: the loop is probed before it is kept busy.
        loop.schedule(() -> null, 50, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        assertThat(lag.count()).isPositive();
        double lateBefore = over50ms(lag);

        long busyNanos = Duration.ofMillis(80).toNanos();
        loop.execute(() -> { // CPU work, not a blocking call: what a loop behind on requests looks like
            long end = System.nanoTime() + busyNanos;
            long spins = 0;
            while (System.nanoTime() < end) { // not Thread.onSpinWait: BlockHound counts that as blocking
                spins++;
            }
            assertThat(spins).isPositive();
        });
        // Due well after the busy spell ends: by then the probe it held back (due every 10 ms) has run.
        loop.schedule(() -> null, 200, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);

        assertThat(over50ms(lag)).isGreaterThan(lateBefore);
    }

    private static double over50ms(Timer timer) {
        HistogramSnapshot snapshot = timer.takeSnapshot();
        for (CountAtBucket bucket : snapshot.histogramCounts()) {
            if (bucket.bucket(TimeUnit.MILLISECONDS) == 50) {
                return snapshot.count() - bucket.count();
            }
        }
        throw new AssertionError("no 50 ms bucket");
    }
}
