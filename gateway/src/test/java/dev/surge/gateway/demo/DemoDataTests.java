package dev.surge.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.surge.gateway.backoffice.Order;
import dev.surge.gateway.backoffice.OrderPage;
import dev.surge.gateway.backoffice.OrderStatus;
import dev.surge.gateway.backoffice.OrderSummary;

class DemoDataTests {

    private final DemoData data = new DemoData(42, 100_000, 5_000);

    private List<OrderSummary> allOrders(String customer, int pageSize) {
        List<OrderSummary> all = new ArrayList<>();
        String after = null;
        do {
            OrderPage page = data.orders(customer, after, pageSize).orElseThrow();
            all.addAll(page.orders());
            after = page.next();
        } while (after != null);
        return all;
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        DemoData again = new DemoData(42, 100_000, 5_000);
        DemoData other = new DemoData(7, 100_000, 5_000);
        String id = data.orders("c42", null, 1).orElseThrow().orders().get(0).id();
        assertThat(again.order("c42", id)).isEqualTo(data.order("c42", id));
        assertThat(again.customer("c42")).isEqualTo(data.customer("c42"));
        assertThat(other.orders("c42", null, 1).orElseThrow().orders().get(0).id()).isNotEqualTo(id);
    }

    @Test
    void everyCustomerHasOneToTwentyOrdersVisitedExactlyOnceNewestFirst() {
        for (int n : new int[] {1, 2, 3, 42, 999, 54_321, 100_000}) {
            List<OrderSummary> all = allOrders("c" + n, 3);
            assertThat(all).hasSizeBetween(1, 20);
            Set<String> ids = new HashSet<>();
            all.forEach(o -> assertThat(ids.add(o.id())).as("duplicate %s", o.id()).isTrue());
            List<Instant> placed = all.stream().map(OrderSummary::placedAt).toList();
            assertThat(placed).isSortedAccordingTo((a, b) -> b.compareTo(a));
            assertThat(allOrders("c" + n, 50)).isEqualTo(all);
        }
    }

    @Test
    void anOrderIsOnlyVisibleToItsOwner() {
        String id = data.orders("c42", null, 1).orElseThrow().orders().get(0).id();
        Order order = data.order("c42", id).orElseThrow();
        assertThat(order.customerId()).isEqualTo("c42");
        assertThat(order.lines()).isNotEmpty();
        assertThat(order.history().get(0).status()).isEqualTo(OrderStatus.PLACED);
        assertThat(data.order("c43", id)).isEmpty();
        assertThat(data.orders("c43", id, 5)).isEmpty(); // paging after someone else's order: unknown
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "O", "O12", "X000000000001", "O00000000000a", "O-00000000001", "O9999999999999"})
    void idsOfOtherShapesAreUnknown(String id) {
        assertThat(data.order("c42", id)).isEmpty();
        assertThat(data.shipment(id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0", "c100001", "c01", "C1", "42", "c-1", "c1x"})
    void customerIdsOutsideTheDemoAreUnknown(String id) {
        assertThat(data.customer(id)).isEmpty();
        assertThat(data.orders(id, null, 10)).isEmpty();
    }

    @Test
    void shipmentsExistOnlyForShippedOrders() {
        int shipped = 0;
        int unshipped = 0;
        for (int n = 1; n <= 60; n++) {
            for (OrderSummary summary : allOrders("c" + n, 50)) {
                boolean left = summary.status() == OrderStatus.SHIPPED || summary.status() == OrderStatus.DELIVERED
                        || summary.status() == OrderStatus.RETURNED;
                assertThat(data.shipment(summary.id()).isPresent()).as(summary.status().name()).isEqualTo(left);
                if (left) {
                    shipped++;
                    assertThat(data.shipment(summary.id()).orElseThrow().events()).isNotEmpty();
                } else {
                    unshipped++;
                }
            }
        }
        assertThat(shipped).isPositive();
        assertThat(unshipped).isPositive();
    }

    @Test
    void stockIsKnownForDemoSkusOnly() {
        assertThat(data.stock("SKU-00001")).hasValueSatisfying(s -> {
            assertThat(s.warehouses()).hasSizeBetween(2, 4);
            assertThat(s.totalAvailable()).isEqualTo(s.warehouses().stream().mapToInt(w -> w.available()).sum());
        });
        assertThat(data.stock("SKU-05000")).isPresent();
        assertThat(data.stock("SKU-05001")).isEmpty();
        assertThat(data.stock("SKU-1")).isEmpty();
    }
}
