package dev.surge.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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

    private static final Clock DAY = Clock.fixed(Instant.parse("2026-11-23T08:00:00Z"), ZoneOffset.UTC);

    private final DemoData data = new DemoData(42, 100_000, 5_000, DAY);

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
        DemoData again = new DemoData(42, 100_000, 5_000, DAY);
        DemoData other = new DemoData(7, 100_000, 5_000, DAY);
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

    /**
     * The demo must stay meaningful whatever the day: among the first hundred customers, on any day, there are orders
     * not shipped yet, parcels in transit, deliveries inside and outside the 30-day return window, cancelled and
     * returned orders, and final-sale lines; and no order has history after the start of the day it is read on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-23T08:00:00Z", "2027-06-14T21:30:00Z"})
    void everyDayHasOrdersInEveryStateAndInsideAndOutsideTheReturnWindow(String now) {
        Clock clock = Clock.fixed(Instant.parse(now), ZoneOffset.UTC);
        DemoData day = new DemoData(42, 100_000, 5_000, clock);
        ActionRules rules = new ActionRules(java.time.Duration.ofDays(30));
        Instant dayStart = Instant.parse(now).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
        for (int n = 1; n <= 100; n++) {
            String customer = "c" + n;
            for (OrderSummary summary : allOrders(day, customer)) {
                Order order = day.order(customer, summary.id()).orElseThrow();
                if (order.history().stream().anyMatch(change -> change.at().isAfter(dayStart))
                        || order.history().get(order.history().size() - 1).status() != order.status()) {
                    throw new AssertionError("history after the start of the day or not ending in the status: "
                            + order);
                }
                String state = switch (order.status()) {
                    case PLACED, PAID, PACKED -> "not shipped";
                    case SHIPPED -> "in transit";
                    case DELIVERED -> rules.returnRefusal(order, OrderChange.NONE, clock.instant()) == null
                            ? "delivered, returnable" : "delivered, window closed";
                    case CANCELLED -> "cancelled";
                    case RETURNED -> "returned";
                };
                seen.merge(state, 1, Integer::sum);
                if (order.lines().stream().anyMatch(line -> DemoData.finalSale(line.sku()))) {
                    seen.merge("with a final-sale line", 1, Integer::sum);
                }
            }
        }
        assertThat(seen).as("orders per state among c1..c100 on %s", now)
                .containsOnlyKeys("not shipped", "in transit", "delivered, returnable", "delivered, window closed",
                        "cancelled", "returned", "with a final-sale line")
                .allSatisfy((state, count) -> assertThat(count).as(state).isGreaterThanOrEqualTo(3));
    }

    @Test
    void theSameDayGivesTheSameDataAndTheNextDayMovesItsDatesOnByADay() {
        Instant morning = Instant.parse("2026-11-23T06:00:00Z");
        DemoData early = new DemoData(42, 100_000, 5_000, Clock.fixed(morning, ZoneOffset.UTC));
        DemoData late = new DemoData(42, 100_000, 5_000,
                Clock.fixed(morning.plus(java.time.Duration.ofHours(17)), ZoneOffset.UTC));
        DemoData tomorrow = new DemoData(42, 100_000, 5_000,
                Clock.fixed(morning.plus(java.time.Duration.ofDays(1)), ZoneOffset.UTC));
        String id = early.orders("c42", null, 1).orElseThrow().orders().get(0).id();
        assertThat(late.order("c42", id)).isEqualTo(early.order("c42", id));
        Order today = early.order("c42", id).orElseThrow();
        Order next = tomorrow.order("c42", id).orElseThrow();
        assertThat(next.id()).isEqualTo(today.id());
        assertThat(next.status()).isEqualTo(today.status());
        assertThat(next.placedAt()).isEqualTo(today.placedAt().plus(java.time.Duration.ofDays(1)));
    }

    @Test
    void returnedOrdersHaveTheirReturnAndLinesNameEachSkuOnce() {
        int returned = 0;
        for (int n = 1; n <= 100; n++) {
            for (OrderSummary summary : allOrders(data, "c" + n)) {
                Order order = data.order("c" + n, summary.id()).orElseThrow();
                assertThat(order.lines()).extracting(line -> line.sku()).doesNotHaveDuplicates();
                if (order.status() == OrderStatus.RETURNED) {
                    returned++;
                    assertThat(data.generatedReturns(n)).anySatisfy(r -> assertThat(r.order()).isEqualTo(order));
                }
            }
        }
        assertThat(returned).isPositive();
    }

    private static List<OrderSummary> allOrders(DemoData data, String customer) {
        return data.orders(customer, null, 50).orElseThrow().orders();
    }
}
