package dev.surge.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The ledger's bound: oldest customer forgotten first, never the one who just changed something. */
class ChangeLedgerTests {

    private static final WriteCall.Fingerprint REQUEST = new WriteCall.Fingerprint("POST", "/x", null,
            tools.jackson.databind.node.JsonNodeFactory.instance.objectNode());

    private static ChangeLedger.Update<String> change(CustomerChanges changes) {
        return new ChangeLedger.Update<>("changed", changes.withOrder("O1", OrderChange.NONE.cancel("SKU-00001", 1)));
    }

    @Test
    void atTheBoundTheCustomerWhoseChangesBeganFirstIsForgottenWhole() {
        ChangeLedger ledger = new ChangeLedger(2);
        ledger.update(1, ChangeLedgerTests::change);
        ledger.update(2, ChangeLedgerTests::change);
        ledger.update(1, ChangeLedgerTests::change); // a later change does not make customer 1 younger
        assertThat(ledger.size()).isEqualTo(2);
        ledger.update(3, ChangeLedgerTests::change);
        assertThat(ledger.size()).isEqualTo(2);
        assertThat(ledger.of(1)).isSameAs(CustomerChanges.NONE);
        assertThat(ledger.of(2).order("O1").cancelled("SKU-00001")).isEqualTo(1);
        assertThat(ledger.of(3).order("O1").cancelled("SKU-00001")).isEqualTo(1);
    }

    @Test
    void anUpdateThatChangesNothingStoresNothing() {
        ChangeLedger ledger = new ChangeLedger(1);
        String answer = ledger.update(7, changes -> new ChangeLedger.Update<>("refused", changes));
        assertThat(answer).isEqualTo("refused");
        assertThat(ledger.size()).isZero();
        ledger.update(8, ChangeLedgerTests::change);
        assertThat(ledger.of(8).orders()).containsOnlyKeys("O1");
        ledger.clear();
        assertThat(ledger.size()).isZero();
        assertThat(ledger.of(8)).isSameAs(CustomerChanges.NONE);
    }

    @Test
    void onlyTheLatestIdempotencyKeysOfACustomerAreKept() {
        java.time.Instant now = java.time.Instant.parse("2026-11-23T08:00:00Z");
        CustomerChanges changes = CustomerChanges.NONE;
        Answer answer = new Answer(200, java.util.Map.of(), new byte[0]);
        for (int i = 0; i < CustomerChanges.MAX_ANSWERS + 1; i++) {
            changes = changes.withAnswer(new CustomerChanges.StoredAnswer("k" + i, REQUEST, now.plusSeconds(60), answer),
                    now);
        }
        assertThat(changes.answers()).hasSize(CustomerChanges.MAX_ANSWERS);
        assertThat(changes.answer("k0", now)).isNull();
        assertThat(changes.answer("k1", now)).isNotNull();
        assertThat(changes.answer("k1", now.plusSeconds(60))).as("expired").isNull();
        assertThat(List.of(changes.withAnswer(new CustomerChanges.StoredAnswer("new", REQUEST, now.plusSeconds(120),
                answer), now.plusSeconds(61)).answers().size())).containsExactly(1);
    }
}
