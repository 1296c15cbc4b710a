package dev.surge.gateway.backoffice;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A return the back office authorised (an RMA): what goes back and why, the label to print, the refund it will
 * bring and where to, the date by which the parcel must be sent, and its status with the history (oldest first).
 */
public record ReturnAuthorization(String rma, String orderId, String customerId, ReturnStatus status,
                                  Instant createdAt, ReturnReason reason, List<ReturnedLine> lines, URI labelUrl,
                                  Refund refund, LocalDate shipBy, List<ReturnStatusChange> history) {

    public ReturnAuthorization {
        lines = List.copyOf(lines);
        history = List.copyOf(history);
    }
}
