package dev.surge.gateway.selfservice;

import java.util.regex.Pattern;

import dev.surge.gateway.core.SurgeException;

/**
 * Shapes of the ids customers put in paths. Checked before any back-office call, so malformed input is a 400 and
 * never reaches (or probes) the back office.
 */
public final class Ids {

    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern RMA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Ids() {
    }

    public static boolean isValidOrderId(String id) {
        return ORDER_ID.matcher(id).matches();
    }

    /** The order id, or a 400 problem when it is malformed. */
    public static String orderId(String id) {
        if (!isValidOrderId(id)) {
            throw SurgeException.badRequest("orderId must be 1-64 letters, digits, '-' or '_'.");
        }
        return id;
    }

    /** The RMA number of a return, or a 400 problem when it is malformed. */
    public static String rma(String rma) {
        if (!RMA.matcher(rma).matches()) {
            throw SurgeException.badRequest("rma must be 1-64 letters, digits, '-' or '_'.");
        }
        return rma;
    }

    static String sku(String sku) {
        if (!SKU.matcher(sku).matches()) {
            throw SurgeException.badRequest("sku must be 1-64 letters, digits, '.', '-' or '_'.");
        }
        return sku;
    }
}
