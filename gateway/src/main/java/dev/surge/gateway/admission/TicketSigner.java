package dev.surge.gateway.admission;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.surge.gateway.core.SurgeException;

/**
 * Turns a {@link Ticket} into the opaque, URL-safe string a customer holds, and back: {@code base64url(payload) "."
 * base64url(HMAC-SHA256(secret, label || payload))}. The payload is a version byte, the epoch, the sequence number,
 * the issue and expiry times (8 bytes each) and the customer id in UTF-8. Nothing in it is secret (a customer may
 * read their own place); the MAC makes it unforgeable, so any instance can check a ticket without asking Redis.
 *
 * <p>Hand-written rather than a JWT library: the ticket rides in a URL path and a header on every poll, and this
 * form is less than half a JWT's size with nothing to negotiate (no {@code alg}, one key, one version).
 */
final class TicketSigner {

    /** Longest ticket string looked at; anything longer is garbage and is not decoded. */
    static final int MAX_LENGTH = 512;
    /** Longest customer id a ticket can carry (the token's subject); longer ones get the plain 503. */
    static final int MAX_CUSTOMER_BYTES = 200;

    private static final byte VERSION = 1;
    private static final int FIXED_BYTES = 1 + 4 * Long.BYTES;
    private static final int MAC_BYTES = 32;
    /** Keeps these MACs apart from anything else a reused secret might sign. */
    private static final byte[] LABEL = "surge-waiting-room-ticket\0".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final ThreadLocal<Mac> macs;

    TicketSigner(String secret) {
        Mac prototype;
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
        // One Mac per thread, cloned from one made here at start-up, so no provider lookup happens on an event loop.
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                return (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
            }
        });
    }

    static boolean fits(String customerId) {
        return customerId.getBytes(StandardCharsets.UTF_8).length <= MAX_CUSTOMER_BYTES;
    }

    String sign(Ticket ticket) {
        byte[] customer = ticket.customerId().getBytes(StandardCharsets.UTF_8);
        byte[] payload = ByteBuffer.allocate(FIXED_BYTES + customer.length)
                .put(VERSION)
                .putLong(ticket.epoch())
                .putLong(ticket.seq())
                .putLong(ticket.issuedAt())
                .putLong(ticket.expiresAt())
                .put(customer)
                .array();
        return ENCODER.encodeToString(payload) + '.' + ENCODER.encodeToString(mac(payload));
    }

    /**
     * The ticket the string stands for, if Surge signed it (with this secret). Whose it is and whether it is still
     * good are for the caller to judge.
     *
     * @throws SurgeException 400 for anything garbled, forged or signed with another key
     */
    Ticket verify(String value) {
        int dot = value.indexOf('.');
        if (value.length() > MAX_LENGTH || dot <= 0 || dot != value.lastIndexOf('.')) {
            throw invalid();
        }
        byte[] payload;
        byte[] mac;
        try {
            payload = DECODER.decode(value.substring(0, dot));
            mac = DECODER.decode(value.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        // Constant time: how much of a forged MAC matched must not show in how long the answer took.
        if (mac.length != MAC_BYTES || !MessageDigest.isEqual(mac, mac(payload))) {
            throw invalid();
        }
        if (payload.length <= FIXED_BYTES || payload[0] != VERSION) {
            throw invalid(); // signed by us, but a form this version does not read
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload, 1, payload.length - 1);
        long epoch = buffer.getLong();
        long seq = buffer.getLong();
        long issuedAt = buffer.getLong();
        long expiresAt = buffer.getLong();
        try {
            String customer = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(buffer).toString();
            return new Ticket(epoch, seq, issuedAt, expiresAt, customer);
        } catch (CharacterCodingException e) {
            throw invalid();
        }
    }

    private byte[] mac(byte[] payload) {
        Mac mac = macs.get();
        mac.update(LABEL);
        return mac.doFinal(payload);
    }

    private static SurgeException invalid() {
        return SurgeException.badRequest("This is not a waiting-room ticket Surge issued.");
    }
}
