package dev.surge.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.surge.gateway.backoffice.Address;
import dev.surge.gateway.backoffice.LineQuantity;
import dev.surge.gateway.backoffice.Order;
import dev.surge.gateway.backoffice.OrderActions;
import dev.surge.gateway.backoffice.OrderLine;
import dev.surge.gateway.backoffice.OrderStatus;
import dev.surge.gateway.backoffice.Refusal;
import dev.surge.gateway.backoffice.StatusChange;

/** The shop's rules on hand-made orders: windows to the second, quantities to the unit, states one by one. */
class ActionRulesTests {

    private static final Instant PLACED = Instant.parse("2026-11-01T10:00:00Z");
    private static final Instant DELIVERED = Instant.parse("2026-11-04T12:00:00Z");
    // SKU-00011 is final sale (11 % 8 == 3); the others are not.
    private static final OrderLine SHOES = new OrderLine("SKU-00001", "Trail running shoes", 2, new BigDecimal("80.00"));
    private static final OrderLine LAMP = new OrderLine("SKU-00002", "Desk lamp", 1, new BigDecimal("35.50"));
    private static final OrderLine SALE = new OrderLine("SKU-00011", "Linen shirt", 1, new BigDecimal("20.00"));

    private final ActionRules rules = new ActionRules(Duration.ofDays(30));

    private static Order order(OrderStatus... steps) {
        List<StatusChange> history = new java.util.ArrayList<>();
        Instant at = PLACED;
        for (OrderStatus step : steps) {
            at = step == OrderStatus.DELIVERED ? DELIVERED : at.plusSeconds(3600);
            history.add(new StatusChange(step, at));
        }
        return new Order("O000000000001", "c1", PLACED, steps[steps.length - 1], new BigDecimal("215.50"), "EUR",
                List.of(SHOES, LAMP, SALE), history, new Address("A B", "Street 1", "10115", "Berlin", "DE"),
                "Visa ending 4242");
    }

    private static Order delivered() {
        return order(OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED,
                OrderStatus.DELIVERED);
    }

    @Test
    void aDeliveredOrderIsReturnableUntilThirtyDaysAfterDeliveryExceptItsFinalSaleLines() {
        Instant deadline = DELIVERED.plus(Duration.ofDays(30));
        OrderActions open = rules.eligibility(delivered(), OrderChange.NONE, deadline.minusSeconds(1));
        assertThat(open.returns().allowed()).isTrue();
        assertThat(open.returns().deadline()).isEqualTo(deadline);
        assertThat(open.returns().lines()).extracting(l -> l.sku(), l -> l.returnable(), l -> l.reason())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SKU-00001", 2, null),
                        org.assertj.core.groups.Tuple.tuple("SKU-00002", 1, null),
                        org.assertj.core.groups.Tuple.tuple("SKU-00011", 0, Refusal.FINAL_SALE));
        assertThat(open.returns().lines().get(0).refundEstimate()).isEqualByComparingTo("160.00");
        assertThat(open.cancellation().reason()).isEqualTo(Refusal.ORDER_SHIPPED);
        assertThat(open.addressChange().allowed()).isFalse();

        OrderActions closed = rules.eligibility(delivered(), OrderChange.NONE, deadline);
        assertThat(closed.returns().allowed()).isFalse();
        assertThat(closed.returns().reason()).isEqualTo(Refusal.RETURN_WINDOW_CLOSED);
        assertThat(closed.returns().lines()).allSatisfy(l -> assertThat(l.returnable()).isZero());
        assertThat(rules.checkReturn(delivered(), OrderChange.NONE, List.of(new LineQuantity("SKU-00001", 1)),
                deadline).refusal()).isEqualTo(Refusal.RETURN_WINDOW_CLOSED);
    }

    @Test
    void neverMoreThanBoughtMinusAlreadyReturned() {
        Instant now = DELIVERED.plus(Duration.ofDays(2));
        OrderChange oneBack = OrderChange.NONE.returnQuantity("SKU-00001", 1);
        assertThat(rules.checkReturn(delivered(), oneBack, List.of(new LineQuantity("SKU-00001", 1)), now)).isNull();
        assertThat(rules.checkReturn(delivered(), oneBack, List.of(new LineQuantity("SKU-00001", 2)), now))
                .isEqualTo(new ActionRules.LineRefusal(Refusal.NOTHING_LEFT, "SKU-00001"));
        assertThat(rules.checkReturn(delivered(), oneBack, List.of(new LineQuantity("SKU-00011", 1)), now))
                .isEqualTo(new ActionRules.LineRefusal(Refusal.FINAL_SALE, "SKU-00011"));
        OrderChange allBack = oneBack.returnQuantity("SKU-00001", 1).returnQuantity("SKU-00002", 1);
        OrderActions nothing = rules.eligibility(delivered(), allBack, now);
        assertThat(nothing.returns().allowed()).isFalse();
        assertThat(nothing.returns().reason()).isEqualTo(Refusal.NOTHING_LEFT);
        assertThat(nothing.returns().lines().get(0).returned()).isEqualTo(2);
    }

    @Test
    void returnsWaitForDeliveryAndCancelledOrdersAllowNothing() {
        Instant now = DELIVERED;
        Order shipped = order(OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED);
        assertThat(rules.eligibility(shipped, OrderChange.NONE, now).returns().reason())
                .isEqualTo(Refusal.ORDER_NOT_DELIVERED);
        assertThat(rules.eligibility(shipped, OrderChange.NONE, now).returns().deadline()).isNull();
        Order cancelled = order(OrderStatus.PLACED, OrderStatus.CANCELLED);
        OrderActions none = rules.eligibility(cancelled, OrderChange.NONE, now);
        assertThat(List.of(none.returns().reason(), none.cancellation().reason(), none.addressChange().reason()))
                .containsOnly(Refusal.ORDER_CANCELLED);
    }

    @Test
    void beforeShippingAnOrderCanBeCancelledLineByLineAndItsAddressChanged() {
        Order packed = order(OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED);
        OrderActions actions = rules.eligibility(packed, OrderChange.NONE, DELIVERED);
        assertThat(actions.cancellation().allowed()).isTrue();
        assertThat(actions.addressChange().allowed()).isTrue();

        OrderChange oneShoe = OrderChange.NONE.cancel("SKU-00001", 1);
        assertThat(ActionRules.checkCancel(packed, oneShoe, List.of(new LineQuantity("SKU-00001", 2))))
                .isEqualTo(new ActionRules.LineRefusal(Refusal.NOTHING_LEFT, "SKU-00001"));
        Order view = ActionRules.view(packed, oneShoe);
        assertThat(view.lines().get(0).quantity()).isEqualTo(1);
        assertThat(view.total()).isEqualByComparingTo("135.50");
        assertThat(view.status()).isEqualTo(OrderStatus.PACKED);

        Instant at = DELIVERED;
        Order cancelled = ActionRules.view(packed, OrderChange.NONE.cancelledWhole(at));
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.history().get(cancelled.history().size() - 1))
                .isEqualTo(new StatusChange(OrderStatus.CANCELLED, at));
        assertThat(ActionRules.checkCancel(packed, OrderChange.NONE.cancelledWhole(at), List.of()).refusal())
                .isEqualTo(Refusal.ORDER_CANCELLED);
    }
}
