package dev.surge.gateway.backoffice;

import java.time.Instant;

/** One entry of a return's status history. */
public record ReturnStatusChange(ReturnStatus status, Instant at) {
}
