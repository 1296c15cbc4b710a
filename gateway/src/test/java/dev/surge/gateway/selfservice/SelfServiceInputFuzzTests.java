package dev.surge.gateway.selfservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.surge.gateway.core.SurgeException;

/**
 * What a customer puts in a path or a query of the self-service API: a {@code cursor} and the order ids and SKUs.
 * Whatever the bytes, each is either taken (and then well-formed) or refused with the documented 400, never another
 * exception (which would be a 500). The normal build replays the inputs in {@code SelfServiceInputFuzzTestsInputs};
 * README, "Fuzzing", says how to look for new ones.
 */
class SelfServiceInputFuzzTests {

    private static void assertBadRequest(SurgeException e) {
        assertThat(e.getStatusCode().value()).isEqualTo(400);
        assertThat(e.getBody().getDetail()).isNotBlank();
    }

    @FuzzTest(maxDuration = "2m")
    void aCursorIsReadOrRefusedWith400(byte[] input) {
        String cursor = new String(input, StandardCharsets.UTF_8); // query parameters are percent-decoded UTF-8
        String after;
        try {
            after = OrderCursor.decode(cursor);
        } catch (SurgeException e) {
            assertBadRequest(e);
            return;
        }
        if (after == null) {
            assertThat(cursor).isEmpty();
        } else {
            assertThat(Ids.isValidOrderId(after)).as("a cursor only ever names a well-formed order id").isTrue();
        }
    }

    @FuzzTest(maxDuration = "2m")
    void aCursorWeMadeReadsBackAsTheOrderItNamed(byte[] input) {
        String orderId = new String(input, StandardCharsets.UTF_8);
        if (Ids.isValidOrderId(orderId)) {
            assertThat(OrderCursor.decode(OrderCursor.encode(orderId))).isEqualTo(orderId);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void idsAreTakenAsTheyAreOrRefusedWith400(byte[] input) {
        String id = new String(input, StandardCharsets.UTF_8); // path segments are percent-decoded UTF-8
        try {
            assertThat(Ids.orderId(id)).isEqualTo(id).matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
        } catch (SurgeException e) {
            assertBadRequest(e);
        }
        try {
            assertThat(Ids.sku(id)).isEqualTo(id).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
        } catch (SurgeException e) {
            assertBadRequest(e);
        }
    }
}
