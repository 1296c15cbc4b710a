package dev.surge.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.surge.gateway.core.SurgeException;

/**
 * Waiting-room tickets come back from customers in a path ({@code /api/v1/waiting-room/{ticket}}) and a header
 * ({@code Surge-Waiting-Room-Ticket}). Whatever the string, verifying it answers a ticket Surge signed or the
 * documented 400, never another exception; and every ticket Surge signs reads back as it was. The normal build
 * replays the inputs in {@code TicketSignerFuzzTestsInputs}.
 */
class TicketSignerFuzzTests {

    private static final TicketSigner SIGNER = new TicketSigner("fuzz-waiting-room-secret-0123456789abcdef");

    @FuzzTest(maxDuration = "2m")
    void anyStringIsATicketWeSignedOrA400(byte[] input) {
        String value = new String(input, StandardCharsets.ISO_8859_1);
        try {
            Ticket ticket = SIGNER.verify(value);
            // Only we can sign: a string the fuzzer made that verifies must be exactly what we would sign.
            assertThat(SIGNER.sign(ticket)).isEqualTo(value);
        } catch (SurgeException e) {
            assertThat(e.getStatusCode().value()).isEqualTo(400);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void everyTicketWeSignReadsBackAsItWas(byte[] input) {
        ByteBuffer fields = ByteBuffer.wrap(Arrays.copyOf(input, Math.max(input.length, 4 * Long.BYTES)));
        String customer = new String(input, Math.min(input.length, 4 * Long.BYTES),
                Math.max(0, input.length - 4 * Long.BYTES), StandardCharsets.UTF_8);
        if (customer.isEmpty() || !TicketSigner.fits(customer)) {
            return; // never signed: the room gives such customers the plain 503
        }
        Ticket ticket = new Ticket(fields.getLong(), fields.getLong(), fields.getLong(), fields.getLong(), customer);
        String value = SIGNER.sign(ticket);
        assertThat(value.length()).isLessThanOrEqualTo(TicketSigner.MAX_LENGTH);
        assertThat(SIGNER.verify(value)).isEqualTo(ticket);
    }
}
