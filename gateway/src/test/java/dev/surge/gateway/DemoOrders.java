package dev.surge.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.backoffice.OrderActions;
import dev.surge.gateway.backoffice.OrderSummary;
import dev.surge.gateway.backoffice.ReturnableLine;

/**
 * Finds demo orders in a wanted state (returnable, not delivered yet, cancellable, ...) by asking the back office, as
 * an app would, among customers no earlier search of the same finder looked at: each write test gets orders of its
 * own.
 */
public final class DemoOrders {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BackOfficeClient backOffice;
    private final AtomicInteger nextCustomer;

    /**
     * Searches from the customer after {@code c<next>} on, moving {@code next} along; give each test class a counter
     * (and a range) of its own, shared by its tests.
     */
    public DemoOrders(BackOfficeClient backOffice, AtomicInteger next) {
        this.backOffice = backOffice;
        this.nextCustomer = next;
    }

    /** An order of a customer, with what it allows now. */
    public record Found(String customer, OrderSummary order, OrderActions actions) {

        /** The first line with something left to return. */
        public ReturnableLine returnable() {
            return actions.returns().lines().stream().filter(l -> l.returnable() > 0).findFirst().orElseThrow();
        }
    }

    public Found find(Predicate<Found> wanted) {
        for (int tries = 0; tries < 300; tries++) {
            String customer = nextCustomer();
            for (OrderSummary order : backOffice.orders(customer, null, 50).block(WAIT).orders()) {
                Found found = new Found(customer, order, backOffice.orderActions(customer, order.id()).block(WAIT));
                if (wanted.test(found)) {
                    return found;
                }
            }
        }
        throw new AssertionError("no such order among 300 customers");
    }

    /** A customer no search has looked at. */
    public String nextCustomer() {
        return "c" + nextCustomer.incrementAndGet();
    }
}
