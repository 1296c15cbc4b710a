package dev.surge.gateway;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Locks inside libraries that are built to be called from event loops, which BlockHound would otherwise report when
 * two threads meet on them. Each guards a few field updates; a thread parks only for the instant another holds it.
 * Found by the ServiceLoader ({@code META-INF/services}) when blockhound-junit-platform installs BlockHound.
 *
 * <p>Why it matters beyond a red test: BlockHound throws from inside {@code ReentrantLock.lock()}, leaving the lock's
 * queue corrupt (lettuce#3804), and Lettuce's {@code DefaultEndpoint.write} decrements its writer count in a
 * {@code finally} even when {@code incrementWriters} threw; either way the next write to that connection spins or
 * waits for ever: a hung test that says nothing about Surge.
 */
public final class LibraryLockAllowances implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // Lettuce: the shared/exclusive lock around writes to one connection.
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
        // Resilience4j 2.x: its sliding windows and the open → half-open transition use a ReentrantLock.
        builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics",
                "record");
        builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics",
                "getSnapshot");
        builder.allowBlockingCallsInside(
                "io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine$OpenState",
                "toHalfOpenState");
    }
}
