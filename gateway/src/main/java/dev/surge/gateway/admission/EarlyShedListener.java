package dev.surge.gateway.admission;

import dev.surge.gateway.identity.Caller;

/**
 * Told of each request admission sheds before the web filters run ({@link EarlyShed}), so that what a filter would
 * have recorded of it (the customer's journey) still is.
 */
public interface EarlyShedListener {

    /** A request to {@code path} (no query) was answered 503; called on an event loop, so it must not block. */
    void shed(Caller caller, String method, String path);
}
