package dev.surge.gateway.backoffice;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** Return these quantities of an order's lines, for this reason; {@code comment} is optional free text. */
public record ReturnRequest(List<LineQuantity> lines, ReturnReason reason, @Nullable String comment) {

    public ReturnRequest {
        lines = List.copyOf(lines);
    }
}
