package dev.surge.gateway.backoffice;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Whether anything of an order can be returned now: {@code allowed} when at least one line has something returnable,
 * else the order-level {@code reason}; {@code deadline} ends the return window (null before delivery); each line says
 * what is left of it. {@code refundMethod} is where a refund goes (a display text).
 */
public record ReturnEligibility(boolean allowed, @Nullable Refusal reason, @Nullable Instant deadline,
                               List<ReturnableLine> lines, @Nullable String refundMethod) {

    public ReturnEligibility {
        lines = List.copyOf(lines);
    }
}
