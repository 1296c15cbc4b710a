package dev.surge.gateway;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Lets Lettuce's endpoint lock ({@code SharedLock}, a ReentrantLock held for microseconds around a write or a
 * reconnect) park a non-blocking thread, as Lettuce designs it to. BlockHound would otherwise throw from inside
 * {@code ReentrantLock.lock()}, leaving the lock's queue corrupt (lettuce#3804), and the next thread to touch that
 * connection then spins or waits forever: a hung test that says nothing about Surge. Everything else stays checked.
 */
public final class LettuceBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters")
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters")
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
    }
}
