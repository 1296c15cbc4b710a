package dev.surge.gateway.demo;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One answer of the simulated back office, as it goes on the wire: status, extra headers (ETag, Location) and the
 * JSON body (a problem from 400 up). Immutable, so a stored answer can be sent again to a repeated Idempotency-Key.
 */
record Answer(int status, Map<String, String> headers, byte[] body) {

    Answer {
        headers = Map.copyOf(headers);
    }

    boolean isProblem() {
        return status >= 400;
    }

    @Override
    public String toString() {
        return status + " " + new String(body, StandardCharsets.UTF_8);
    }
}
