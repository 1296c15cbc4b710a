package dev.surge.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Positions, who must queue, and how long an admitted ticket stays good, by the app's clock. */
class QueueStateTests {

    private static final long EPOCH = 1_799_000_000_000L;
    private static final long T0 = 1_800_000_000_000L;
    private static final long WINDOW = 30_000;
    private static final long RETENTION = 40_000;
    private static final int STANDARD = Priority.STANDARD_READ.ordinal();
    private static final int GOLD = Priority.GOLD_READ.ordinal();

    private static long[] last(int cls, long seq) {
        long[] last = new long[QueueState.QUEUED_CLASSES];
        last[cls] = seq;
        return last;
    }

    private static QueueState read(long issued, long admitted, long[] lastIssued, long now) {
        return QueueState.UNKNOWN.with(EPOCH, issued, admitted, lastIssued, now, RETENTION);
    }

    private static Ticket ticket(long seq) {
        return new Ticket(EPOCH, seq, T0 - 60_000, T0 + 3_600_000, "c1");
    }

    @Test
    void positionCountsFromThePointerAndAnEmptyQueueHoldsNobodyUp() {
        QueueState state = read(10, 4, last(STANDARD, 10), T0);
        assertThat(state.depth()).isEqualTo(6);
        assertThat(state.position(ticket(5))).isEqualTo(1);
        assertThat(state.position(ticket(10))).isEqualTo(6);

        QueueState drained = state.with(EPOCH, 10, 10, last(STANDARD, 10), T0 + 250, RETENTION);
        assertThat(drained.depth()).isZero();
        assertThat(drained.waitingClass()).isNull();
        for (Priority priority : Priority.values()) {
            assertThat(drained.queues(priority)).as(priority.name()).isFalse();
        }
    }

    @Test
    void newArrivalsOfTheWaitingClassAndBelowQueueWhileHigherClassesStillGoStraightIn() {
        QueueState standardWaiting = read(3, 0, last(STANDARD, 3), T0);
        assertThat(standardWaiting.waitingClass()).isEqualTo(Priority.STANDARD_READ);
        assertThat(standardWaiting.queues(Priority.STANDARD_READ)).isTrue();
        assertThat(standardWaiting.queues(Priority.GOLD_READ)).isFalse();
        assertThat(standardWaiting.queues(Priority.PLATINUM_READ)).isFalse();
        assertThat(standardWaiting.queues(Priority.ANONYMOUS)).as("anonymous callers never hold tickets").isFalse();

        // Then a gold customer is shed (place 4) and another standard one (place 5).
        long[] both = last(STANDARD, 5);
        both[GOLD] = 4;
        QueueState goldToo = standardWaiting.with(EPOCH, 5, 0, both, T0 + 10, RETENTION);
        assertThat(goldToo.waitingClass()).isEqualTo(Priority.GOLD_READ);
        assertThat(goldToo.queues(Priority.STANDARD_READ)).isTrue();
        assertThat(goldToo.queues(Priority.GOLD_READ)).isTrue();
        assertThat(goldToo.queues(Priority.PLATINUM_READ)).isFalse();

        // FIFO: places 1 to 4 admitted, the gold one among them. A standard customer still waits; gold arrivals go
        // straight in again.
        QueueState goldAdmitted = goldToo.with(EPOCH, 5, 4, both, T0 + 20, RETENTION);
        assertThat(goldAdmitted.waitingClass()).isEqualTo(Priority.STANDARD_READ);
        assertThat(goldAdmitted.queues(Priority.GOLD_READ)).isFalse();
    }

    @Test
    void anAdmittedTicketIsGoodForTheAdmissionWindowFromWhenThePointerPassedIt() {
        QueueState state = read(5, 0, last(STANDARD, 5), T0);
        assertThat(state.standing(ticket(2), T0, WINDOW)).isEqualTo(QueueState.Standing.WAITING);

        QueueState admitted = state.with(EPOCH, 5, 2, last(STANDARD, 5), T0 + 1_000, RETENTION);
        assertThat(admitted.standing(ticket(2), T0 + 1_000, WINDOW)).isEqualTo(QueueState.Standing.ADMITTED);
        assertThat(admitted.standing(ticket(2), T0 + 1_000 + WINDOW - 1, WINDOW))
                .isEqualTo(QueueState.Standing.ADMITTED);
        assertThat(admitted.standing(ticket(2), T0 + 1_000 + WINDOW, WINDOW)).isEqualTo(QueueState.Standing.EXPIRED);
        assertThat(admitted.standing(ticket(3), T0 + 1_000 + WINDOW, WINDOW)).isEqualTo(QueueState.Standing.WAITING);
    }

    @Test
    void aTicketPastItsLifetimeOrOfAnotherEpochIsVoid() {
        QueueState state = read(5, 0, last(STANDARD, 5), T0);
        Ticket short_ = new Ticket(EPOCH, 3, T0, T0 + 60_000, "c1");
        assertThat(state.standing(short_, T0 + 59_999, WINDOW)).isEqualTo(QueueState.Standing.WAITING);
        assertThat(state.standing(short_, T0 + 60_000, WINDOW)).isEqualTo(QueueState.Standing.EXPIRED);

        // The pointer reaches it only after it expired: not admitted.
        QueueState late = state.with(EPOCH, 5, 3, last(STANDARD, 5), T0 + 61_000, RETENTION);
        assertThat(late.standing(short_, T0 + 61_000, WINDOW)).isEqualTo(QueueState.Standing.EXPIRED);

        Ticket oldEpoch = new Ticket(EPOCH - 1, 3, T0, T0 + 3_600_000, "c1");
        assertThat(state.standing(oldEpoch, T0, WINDOW)).isEqualTo(QueueState.Standing.EXPIRED);
    }

    @Test
    void readsOfOneEpochOnlyGrowButANewEpochReplacesEverything() {
        QueueState state = read(10, 6, last(STANDARD, 10), T0);
        QueueState stale = state.with(EPOCH, 8, 4, last(STANDARD, 8), T0 + 5, RETENTION); // an older reply
        assertThat(stale.issued()).isEqualTo(10);
        assertThat(stale.admitted()).isEqualTo(6);
        assertThat(stale.lastIssued()[STANDARD]).isEqualTo(10);

        QueueState reset = state.with(EPOCH + 1, 1, 0, last(STANDARD, 1), T0 + 10, RETENTION);
        assertThat(reset.epoch()).isEqualTo(EPOCH + 1);
        assertThat(reset.issued()).isEqualTo(1);
        assertThat(reset.admitted()).isZero();
        assertThat(reset.standing(ticket(2), T0 + 10, WINDOW)).isEqualTo(QueueState.Standing.EXPIRED);
    }
}
