package dev.surge.gateway.backoffice;

/**
 * The back-office systems Surge calls. Each has its own base URL and timeout, and (in {@code resilience}) its own
 * breaker and bulkhead, so one slow system does not slow the others.
 */
public enum BackOfficeDependency {
    CUSTOMERS("customer profile"),
    ACCOUNTS("account"),
    ORDERS("order"),
    SHIPPING("shipment"),
    INVENTORY("stock level"),
    /** The returns system: return authorisations (RMAs), their labels, status and refunds. */
    RETURNS("return");

    private final String subject;

    BackOfficeDependency(String subject) {
        this.subject = subject;
    }

    /** What this dependency answers about, in words fit for a customer-facing message. */
    public String subject() {
        return subject;
    }
}
