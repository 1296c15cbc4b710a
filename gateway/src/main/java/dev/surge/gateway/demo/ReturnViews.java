package dev.surge.gateway.demo;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.surge.gateway.backoffice.Order;
import dev.surge.gateway.backoffice.Refund;
import dev.surge.gateway.backoffice.ReturnAuthorization;
import dev.surge.gateway.backoffice.ReturnReason;
import dev.surge.gateway.backoffice.ReturnStatus;
import dev.surge.gateway.backoffice.ReturnStatusChange;
import dev.surge.gateway.backoffice.ReturnedLine;

/**
 * Returns as the simulator answers them: a stored or generated return with the label, the ship-by date and the
 * status it has reached on the clock (the parcel is simulated to travel, arrive and be refunded on a fixed schedule).
 */
final class ReturnViews {

    /** A return's parcel must be sent within this after the return is authorised. */
    static final Duration SHIP_BY = Duration.ofDays(14);
    /** When a return moves on: in transit a day after it is authorised, received after 3, refunded after 5. */
    static final Duration IN_TRANSIT_AFTER = Duration.ofDays(1);
    static final Duration RECEIVED_AFTER = Duration.ofDays(3);
    static final Duration REFUNDED_AFTER = Duration.ofDays(5);
    /** Where labels would be printed from; example.com, as no real carrier is behind the demo. */
    static final String LABELS = "https://labels.example.com/rma/";

    private ReturnViews() {
    }

    static ReturnAuthorization authorization(String customerId, CustomerChanges.StoredReturn stored, Instant now) {
        return new ReturnAuthorization(stored.rma(), stored.orderId(), customerId, status(stored.createdAt(), now),
                stored.createdAt(), stored.reason(), stored.lines(), URI.create(LABELS + stored.rma() + ".pdf"),
                stored.refund(), stored.createdAt().plus(SHIP_BY).atZone(ZoneOffset.UTC).toLocalDate(),
                history(stored.createdAt(), now));
    }

    static ReturnAuthorization authorization(DemoData.GeneratedReturn generated, Instant now) {
        Order order = generated.order();
        List<ReturnedLine> lines = order.lines().stream().map(l -> new ReturnedLine(l.sku(), l.description(),
                l.quantity(), l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))).toList();
        Instant created = generated.createdAt();
        return new ReturnAuthorization(generated.rma(), order.id(), order.customerId(), status(created, now),
                created, ReturnReason.NO_LONGER_NEEDED, lines, URI.create(LABELS + generated.rma() + ".pdf"),
                new Refund(order.total(), order.currency(), order.paymentMethod()),
                created.plus(SHIP_BY).atZone(ZoneOffset.UTC).toLocalDate(), history(created, now));
    }

    private static ReturnStatus status(Instant created, Instant now) {
        List<ReturnStatusChange> history = history(created, now);
        return history.get(history.size() - 1).status();
    }

    private static List<ReturnStatusChange> history(Instant created, Instant now) {
        List<ReturnStatusChange> history = new ArrayList<>();
        history.add(new ReturnStatusChange(ReturnStatus.AWAITING_PARCEL, created));
        Map<ReturnStatus, Duration> steps = new LinkedHashMap<>();
        steps.put(ReturnStatus.IN_TRANSIT, IN_TRANSIT_AFTER);
        steps.put(ReturnStatus.RECEIVED, RECEIVED_AFTER);
        steps.put(ReturnStatus.REFUNDED, REFUNDED_AFTER);
        steps.forEach((status, after) -> {
            if (!created.plus(after).isAfter(now)) {
                history.add(new ReturnStatusChange(status, created.plus(after)));
            }
        });
        return history;
    }
}
