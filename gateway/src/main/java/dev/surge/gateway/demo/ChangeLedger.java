package dev.surge.gateway.demo;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What customers changed, in memory, per customer: one immutable {@link CustomerChanges} each, replaced atomically by
 * {@link #update}. Writes of one customer run one at a time (inside {@link ConcurrentHashMap#compute}, which holds only
 * that key's bin for the microseconds an in-memory rule check takes, and no I/O); other customers' writes run in
 * parallel.
 * <p>
 * Bounded: at most {@code maxCustomers} customers have changes. When one more customer changes something, the
 * customer whose changes began longest ago is forgotten whole (orders, returns, preferences and Idempotency-Keys
 * together, so a forgotten key never meets a remembered change): their data is the generated data again. Oldest
 * first rather than Caffeine's frequency-based eviction because a change just made must be the last to go: an
 * Idempotency-Key is retried within seconds of its first use.
 */
final class ChangeLedger {

    private final ConcurrentHashMap<Integer, CustomerChanges> customers = new ConcurrentHashMap<>();
    // Customers in the order their changes began; each appears once while it has changes.
    private final ConcurrentLinkedQueue<Integer> arrival = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int maxCustomers;

    ChangeLedger(int maxCustomers) {
        if (maxCustomers < 1) {
            throw new IllegalArgumentException("maxCustomers must be at least 1");
        }
        this.maxCustomers = maxCustomers;
        // The map builds its table on the first insert, and a thread that loses that race spins with Thread.yield:
        // build it here, at start-up, rather than on an event loop.
        customers.put(0, CustomerChanges.NONE);
        customers.remove(0);
    }

    /** The customer's changes, or {@link CustomerChanges#NONE}. */
    CustomerChanges of(int customer) {
        return customers.getOrDefault(customer, CustomerChanges.NONE);
    }

    /** The result of one update: what to answer, and the customer's changes after it (unchanged if none). */
    record Update<R>(R result, CustomerChanges next) {
    }

    /**
     * Runs {@code change} on the customer's current changes and stores what it returns, atomically for this customer:
     * no other update of theirs runs in between. {@code change} must be quick and free of I/O.
     */
    <R> R update(int customer, Function<CustomerChanges, Update<R>> change) {
        Object[] result = new Object[1];
        boolean[] created = new boolean[1];
        customers.compute(customer, (key, current) -> {
            CustomerChanges before = current != null ? current : CustomerChanges.NONE;
            Update<R> update = change.apply(before);
            result[0] = update.result();
            if (update.next() == before) {
                return current; // nothing changed: an absent customer stays absent
            }
            created[0] = current == null;
            return update.next();
        });
        if (created[0]) {
            arrival.add(customer);
            if (size.incrementAndGet() > maxCustomers) {
                forgetOldest(customer);
            }
        }
        @SuppressWarnings("unchecked")
        R answer = (R) result[0];
        return answer;
    }

    private void forgetOldest(int keep) {
        Integer oldest = arrival.poll();
        if (oldest != null && oldest == keep) {
            arrival.add(oldest); // never the customer who just arrived; take the next oldest
            oldest = arrival.poll();
        }
        if (oldest != null && customers.remove(oldest) != null) {
            size.decrementAndGet();
        }
    }

    /** Customers with changes now. */
    int size() {
        return size.get();
    }

    /** Forgets every change: the data is the generated data again. */
    void clear() {
        arrival.clear();
        customers.clear();
        size.set(0);
    }
}
