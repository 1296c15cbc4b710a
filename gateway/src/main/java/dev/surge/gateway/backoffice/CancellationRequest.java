package dev.surge.gateway.backoffice;

import java.util.List;

/** Cancel these quantities of an order's lines; an empty list cancels everything not cancelled yet. */
public record CancellationRequest(List<LineQuantity> lines) {

    public CancellationRequest {
        lines = List.copyOf(lines);
    }

    /** The whole order. */
    public static CancellationRequest wholeOrder() {
        return new CancellationRequest(List.of());
    }
}
