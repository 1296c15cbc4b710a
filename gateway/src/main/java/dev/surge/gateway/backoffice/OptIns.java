package dev.surge.gateway.backoffice;

/** What a customer agreed to receive besides what an order needs. */
public record OptIns(boolean orderUpdates, boolean marketing, boolean surveys) {
}
