package dev.surge.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.surge.gateway.core.SurgeException;

/** Tickets are opaque, URL-safe, bound to their customer, and nothing but Surge's key can make one. */
class TicketSignerTests {

    private static final String SECRET = "test-waiting-room-secret-0123456789abcdef";
    private final TicketSigner signer = new TicketSigner(SECRET);
    private final Ticket ticket = new Ticket(1_700_000_000_000L, 42, 1_700_000_100_000L, 1_700_003_700_000L, "c42");

    private static void assertRejected(TicketSigner signer, String value) {
        assertThatThrownBy(() -> signer.verify(value)).isInstanceOfSatisfying(SurgeException.class,
                e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
    }

    @Test
    void aSignedTicketReadsBackAsItWasAndIsUrlSafe() {
        String value = signer.sign(ticket);
        assertThat(value).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+").hasSizeLessThan(TicketSigner.MAX_LENGTH);
        assertThat(signer.verify(value)).isEqualTo(ticket);
        assertThat(signer.sign(ticket)).as("the same place is the same ticket").isEqualTo(value);
        assertThat(new TicketSigner(SECRET).verify(value)).as("any instance with the key").isEqualTo(ticket);
    }

    @Test
    void aChangedPayloadIsRejectedEvenWithAValidLookingMac() {
        String value = signer.sign(ticket);
        String mac = value.substring(value.indexOf('.') + 1);
        // The same payload claiming another customer, with the original MAC.
        String other = signer.sign(new Ticket(ticket.epoch(), ticket.seq(), ticket.issuedAt(), ticket.expiresAt(),
                "c43"));
        assertRejected(signer, other.substring(0, other.indexOf('.')) + '.' + mac);
        // An earlier place (seq 1) with the original MAC.
        String earlier = signer.sign(new Ticket(ticket.epoch(), 1, ticket.issuedAt(), ticket.expiresAt(), "c42"));
        assertRejected(signer, earlier.substring(0, earlier.indexOf('.')) + '.' + mac);
    }

    @Test
    void aTicketSignedWithAnotherKeyIsRejected() {
        String forged = new TicketSigner("someone-elses-secret-0123456789abcdefgh").sign(ticket);
        assertRejected(signer, forged);
    }

    @Test
    void garbageIsRejectedNotThrownUp() {
        String value = signer.sign(ticket);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        for (String garbled : new String[] {"", ".", "abc", "abc.", ".abc", "a.b.c", "!!!.???", value + ".x",
                value.substring(0, value.length() - 2), value.replace('.', '+'), "x".repeat(600) + "." + "y",
                b64.encodeToString(new byte[3]) + "." + b64.encodeToString(new byte[32]),
                b64.encodeToString("{\"seq\":1}".getBytes(StandardCharsets.UTF_8)) + "." + value.split("\\.")[1]}) {
            assertRejected(signer, garbled);
        }
    }

    @Test
    void customerIdsTooLongForATicketAreRefusedUpFront() {
        assertThat(TicketSigner.fits("c42")).isTrue();
        assertThat(TicketSigner.fits("x".repeat(TicketSigner.MAX_CUSTOMER_BYTES + 1))).isFalse();
    }
}
