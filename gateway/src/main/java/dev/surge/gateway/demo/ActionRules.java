package dev.surge.gateway.demo;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.ActionEligibility;
import dev.surge.gateway.backoffice.LineQuantity;
import dev.surge.gateway.backoffice.Order;
import dev.surge.gateway.backoffice.OrderActions;
import dev.surge.gateway.backoffice.OrderLine;
import dev.surge.gateway.backoffice.OrderStatus;
import dev.surge.gateway.backoffice.Refusal;
import dev.surge.gateway.backoffice.ReturnEligibility;
import dev.surge.gateway.backoffice.ReturnableLine;
import dev.surge.gateway.backoffice.StatusChange;

/**
 * The demo shop's rules for self-service actions, as pure functions of the generated order, what customers changed
 * and the time: returns only for delivered orders, within the return window from delivery, never more than bought
 * minus already returned, never final-sale items; cancellation and address change only before the order ships.
 * The eligibility read and every write apply the same functions, so a button shown is a write that works.
 */
final class ActionRules {

    private final Duration returnWindow;

    ActionRules(Duration returnWindow) {
        this.returnWindow = returnWindow;
    }

    /** The order as the customer sees it now: the generated order with their changes laid over it. */
    static Order view(Order generated, OrderChange change) {
        if (change == OrderChange.NONE) {
            return generated;
        }
        List<OrderLine> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (OrderLine line : generated.lines()) {
            int left = line.quantity() - change.cancelled(line.sku());
            if (left > 0) {
                lines.add(new OrderLine(line.sku(), line.description(), left, line.unitPrice()));
                total = total.add(line.unitPrice().multiply(BigDecimal.valueOf(left)));
            }
        }
        OrderStatus status = generated.status();
        List<StatusChange> history = new ArrayList<>(generated.history());
        if (change.cancelledAt() != null) {
            status = OrderStatus.CANCELLED;
            history.add(new StatusChange(status, change.cancelledAt()));
            total = generated.total(); // a cancelled order keeps what it was worth, like the generated ones
            lines = generated.lines();
        } else if (change.returnedAt() != null) {
            status = OrderStatus.RETURNED;
            history.add(new StatusChange(status, change.returnedAt()));
        }
        return new Order(generated.id(), generated.customerId(), generated.placedAt(), status, total,
                generated.currency(), List.copyOf(lines), List.copyOf(history),
                change.address() != null ? change.address() : generated.deliveryAddress(), generated.paymentMethod());
    }

    static @Nullable Instant deliveredAt(Order generated) {
        return generated.history().stream().filter(c -> c.status() == OrderStatus.DELIVERED)
                .map(StatusChange::at).findFirst().orElse(null);
    }

    /** Whether the order has been paid (a cancellation then refunds it). */
    static boolean paid(Order generated) {
        return generated.history().stream().anyMatch(c -> c.status() == OrderStatus.PAID);
    }

    /** The end of the return window, or null before delivery. */
    @Nullable Instant returnDeadline(Order generated) {
        Instant delivered = deliveredAt(generated);
        return delivered == null ? null : delivered.plus(returnWindow);
    }

    /** Why nothing of the order can be returned now, whatever the line; null when lines decide. */
    @Nullable Refusal returnRefusal(Order generated, OrderChange change, Instant now) {
        if (change.cancelledAt() != null || generated.status() == OrderStatus.CANCELLED) {
            return Refusal.ORDER_CANCELLED;
        }
        Instant deadline = returnDeadline(generated);
        if (deadline == null) {
            return Refusal.ORDER_NOT_DELIVERED;
        }
        return now.isBefore(deadline) ? null : Refusal.RETURN_WINDOW_CLOSED;
    }

    /** Units of a line already returned: all of a generated returned order, else those returned here. */
    static int returned(Order generated, OrderChange change, OrderLine line) {
        return generated.status() == OrderStatus.RETURNED ? line.quantity() : change.returned(line.sku());
    }

    /** Why a cancellation or an address change is not possible now; null when it is. */
    static @Nullable Refusal changeRefusal(Order generated, OrderChange change) {
        if (change.cancelledAt() != null || generated.status() == OrderStatus.CANCELLED) {
            return Refusal.ORDER_CANCELLED;
        }
        return switch (generated.status()) {
            case PLACED, PAID, PACKED -> null;
            default -> Refusal.ORDER_SHIPPED;
        };
    }

    OrderActions eligibility(Order generated, OrderChange change, Instant now) {
        Order current = view(generated, change);
        Refusal orderLevel = returnRefusal(generated, change, now);
        List<ReturnableLine> lines = new ArrayList<>();
        boolean anyReturnable = false;
        boolean allFinalSale = true;
        for (OrderLine line : generated.lines()) {
            int returned = returned(generated, change, line);
            int left = line.quantity() - returned;
            boolean finalSale = DemoData.finalSale(line.sku());
            allFinalSale &= finalSale;
            Refusal reason = orderLevel != null ? orderLevel
                    : finalSale ? Refusal.FINAL_SALE
                    : left <= 0 ? Refusal.NOTHING_LEFT
                    : null;
            int returnable = reason == null ? left : 0;
            anyReturnable |= returnable > 0;
            lines.add(new ReturnableLine(line.sku(), line.description(), line.quantity(), returned, returnable,
                    line.unitPrice(), line.unitPrice().multiply(BigDecimal.valueOf(returnable)), reason));
        }
        Refusal returnsReason = orderLevel != null ? orderLevel
                : anyReturnable ? null
                : allFinalSale ? Refusal.FINAL_SALE : Refusal.NOTHING_LEFT;
        ReturnEligibility returns = new ReturnEligibility(returnsReason == null, returnsReason,
                returnDeadline(generated), lines, generated.paymentMethod());
        Refusal changeReason = changeRefusal(generated, change);
        ActionEligibility changes = changeReason == null ? ActionEligibility.allowedNow()
                : ActionEligibility.refused(changeReason);
        return new OrderActions(generated.id(), current.status(), now, generated.currency(), returns, changes,
                changes);
    }

    /** The first reason these return lines cannot be returned now, with the SKU it concerns (null: the order). */
    @Nullable LineRefusal checkReturn(Order generated, OrderChange change, List<LineQuantity> lines, Instant now) {
        Refusal orderLevel = returnRefusal(generated, change, now);
        if (orderLevel != null) {
            return new LineRefusal(orderLevel, null);
        }
        for (LineQuantity wanted : lines) {
            OrderLine line = line(generated, wanted.sku());
            if (DemoData.finalSale(line.sku())) {
                return new LineRefusal(Refusal.FINAL_SALE, line.sku());
            }
            if (wanted.quantity() > line.quantity() - returned(generated, change, line)) {
                return new LineRefusal(Refusal.NOTHING_LEFT, line.sku());
            }
        }
        return null;
    }

    /** The first reason these lines cannot be cancelled now (lines name SKUs of the order as it is now). */
    static @Nullable LineRefusal checkCancel(Order generated, OrderChange change, List<LineQuantity> lines) {
        Refusal orderLevel = changeRefusal(generated, change);
        if (orderLevel != null) {
            return new LineRefusal(orderLevel, null);
        }
        for (LineQuantity wanted : lines) {
            OrderLine line = line(generated, wanted.sku());
            if (wanted.quantity() > line.quantity() - change.cancelled(line.sku())) {
                return new LineRefusal(Refusal.NOTHING_LEFT, line.sku());
            }
        }
        return null;
    }

    /** A refusal, and the line it concerns (null: the whole order). */
    record LineRefusal(Refusal refusal, @Nullable String sku) {
    }

    private static OrderLine line(Order order, String sku) {
        return order.lines().stream().filter(l -> l.sku().equals(sku)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a line of the order: " + sku));
    }
}
