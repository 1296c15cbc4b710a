package dev.surge.gateway.admission;

import java.util.Arrays;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * The waiting room as this instance last saw it in Redis: tickets issued, the admitted pointer (every place up to it
 * is admitted) with its history, and per class the last place issued to it (a class with a place beyond the pointer
 * has customers waiting). Immutable; replaced on every tick and every ticket issued. Request threads decide from it
 * alone, never from Redis.
 *
 * @param epoch when the queue's state was created in Redis (0: there is none; -1: not read yet)
 * @param lastIssued the last place issued per queued class, by {@link Priority} ordinal
 * @param observedAt when it was read, epoch milliseconds of the app's clock
 */
record QueueState(long epoch, long issued, long[] lastIssued, long observedAt, AdmissionHistory history) {

    /** Classes that can hold places: every class but anonymous (whose callers keep the plain 503). */
    static final int QUEUED_CLASSES = Priority.ANONYMOUS.ordinal();

    static final QueueState UNKNOWN = new QueueState(-1, 0, new long[QUEUED_CLASSES], Long.MIN_VALUE,
            AdmissionHistory.startingAt(0, Long.MIN_VALUE));

    /** Where a presented ticket stands. */
    enum Standing { WAITING, ADMITTED, EXPIRED }

    boolean known() {
        return epoch >= 0;
    }

    /** Every place up to this one is admitted. */
    long admitted() {
        return history.latest();
    }

    /** Places issued and not yet admitted (some may be abandoned; they still count until the pointer passes). */
    long depth() {
        return Math.max(0, issued - admitted());
    }

    /** The highest class with customers waiting, or null when nobody waits. */
    @Nullable Priority waitingClass() {
        long admitted = admitted();
        for (int c = 0; c < QUEUED_CLASSES; c++) {
            if (lastIssued[c] > admitted) {
                return Priority.values()[c];
            }
        }
        return null;
    }

    /**
     * Whether a new arrival of this class must queue instead of trying the limiter: someone of its class or of a
     * higher one is waiting, and it must not overtake them. Lower classes waiting do not hold higher ones up.
     */
    boolean queues(Priority priority) {
        Priority waiting = waitingClass();
        return waiting != null && priority != Priority.ANONYMOUS && priority.ordinal() >= waiting.ordinal();
    }

    /** 1 = next; 0 or less = admitted. */
    long position(Ticket ticket) {
        return ticket.seq() - admitted();
    }

    /**
     * A ticket of this customer waits until the pointer passes it (or it expires first); once passed it is good for
     * the admission window from that moment. A ticket of another epoch, or passed before this history begins, is void.
     */
    Standing standing(Ticket ticket, long now, long admissionWindowMillis) {
        if (ticket.epoch() != epoch) {
            return Standing.EXPIRED;
        }
        if (ticket.seq() > admitted()) {
            return now < ticket.expiresAt() ? Standing.WAITING : Standing.EXPIRED;
        }
        OptionalLong at = history.admittedAt(ticket.seq());
        if (at.isEmpty() || at.getAsLong() >= ticket.expiresAt() || now >= at.getAsLong() + admissionWindowMillis) {
            return Standing.EXPIRED;
        }
        return Standing.ADMITTED;
    }

    /**
     * This state updated with a fresh read of Redis. Within one epoch counts only grow (replies may arrive out of
     * order); a different epoch means the state in Redis was lost and started over, and the read replaces all.
     */
    QueueState with(long readEpoch, long readIssued, long readAdmitted, long[] readLastIssued, long now,
                    long retentionMillis) {
        if (readEpoch != epoch) {
            return new QueueState(readEpoch, readIssued, readLastIssued.clone(), now,
                    AdmissionHistory.startingAt(readAdmitted, now));
        }
        long[] last = lastIssued.clone();
        for (int c = 0; c < QUEUED_CLASSES; c++) {
            last[c] = Math.max(last[c], readLastIssued[c]);
        }
        return new QueueState(epoch, Math.max(issued, readIssued), last, Math.max(observedAt, now),
                history.advancedTo(readAdmitted, now, retentionMillis));
    }

    /** The same counts, with a history rebuilt from the advances Redis kept. */
    QueueState withHistory(AdmissionHistory seeded) {
        return new QueueState(epoch, issued, lastIssued, observedAt, seeded);
    }

    @Override
    public String toString() {
        return "QueueState[epoch=" + epoch + ", issued=" + issued + ", admitted=" + admitted() + ", lastIssued="
                + Arrays.toString(lastIssued) + "]";
    }
}
