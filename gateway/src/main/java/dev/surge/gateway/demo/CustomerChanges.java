package dev.surge.gateway.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.ContactPreferences;
import dev.surge.gateway.backoffice.Refund;
import dev.surge.gateway.backoffice.ReturnReason;
import dev.surge.gateway.backoffice.ReturnedLine;

/**
 * Everything one customer changed, as one immutable value: {@link ChangeLedger} replaces it whole, atomically, so a
 * reader always sees a consistent state and concurrent writes of one customer apply one after the other. Bounded by
 * the customer's own data (at most 20 orders, and a return takes at least one unit of what they bought) and by
 * {@link #MAX_ANSWERS} remembered Idempotency-Keys.
 *
 * @param orders      changes per order id
 * @param returns     returns authorised here, newest first (the generated ones are not stored)
 * @param preferences contact preferences replacing the generated ones, or null
 * @param version     version of the contact preferences: 1 as generated, one more per replacement
 * @param answers     the answers to the latest Idempotency-Keys, oldest first
 */
record CustomerChanges(Map<String, OrderChange> orders, List<StoredReturn> returns,
                       @Nullable ContactPreferences preferences, long version, List<StoredAnswer> answers) {

    /**
     * Idempotency-Keys remembered per customer; the oldest is forgotten first. A customer's client retries one
     * request at a time, and each key is retried within seconds, so 64 leaves ample room.
     */
    static final int MAX_ANSWERS = 64;

    static final CustomerChanges NONE = new CustomerChanges(Map.of(), List.of(), null, 1, List.of());

    CustomerChanges {
        orders = Map.copyOf(orders);
        returns = List.copyOf(returns);
        answers = List.copyOf(answers);
    }

    /** A return authorised by the simulator; its status follows from {@code createdAt} and the clock. */
    record StoredReturn(String rma, String orderId, Instant createdAt, ReturnReason reason, List<ReturnedLine> lines,
                        Refund refund) {
    }

    /** The first answer to an Idempotency-Key, kept until {@code expiresAt}. */
    record StoredAnswer(String key, WriteCall.Fingerprint request, Instant expiresAt, Answer answer) {
    }

    OrderChange order(String orderId) {
        return orders.getOrDefault(orderId, OrderChange.NONE);
    }

    CustomerChanges withOrder(String orderId, OrderChange change) {
        Map<String, OrderChange> next = new HashMap<>(orders);
        next.put(orderId, change);
        return new CustomerChanges(next, returns, preferences, version, answers);
    }

    CustomerChanges withReturn(StoredReturn stored) {
        List<StoredReturn> next = new ArrayList<>(returns.size() + 1);
        next.add(stored);
        next.addAll(returns);
        return new CustomerChanges(orders, next, preferences, version, answers);
    }

    CustomerChanges withPreferences(ContactPreferences replaced) {
        return new CustomerChanges(orders, returns, replaced, version + 1, answers);
    }

    /** The unexpired answer to this key, or null. */
    @Nullable StoredAnswer answer(String key, Instant now) {
        for (StoredAnswer stored : answers) {
            if (stored.key().equals(key) && stored.expiresAt().isAfter(now)) {
                return stored;
            }
        }
        return null;
    }

    /** Remembers an answer, dropping expired ones and, beyond {@link #MAX_ANSWERS}, the oldest. */
    CustomerChanges withAnswer(StoredAnswer stored, Instant now) {
        List<StoredAnswer> next = new ArrayList<>(answers.size() + 1);
        for (StoredAnswer kept : answers) {
            if (kept.expiresAt().isAfter(now)) {
                next.add(kept);
            }
        }
        next.add(stored);
        while (next.size() > MAX_ANSWERS) {
            next.remove(0);
        }
        return new CustomerChanges(orders, returns, preferences, version, next);
    }
}
