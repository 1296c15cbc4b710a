package dev.surge.gateway.backoffice;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Standing of a customer's credit line. */
public enum CreditStatus {
    /** Credit may be used freely. */
    @JsonProperty("good") GOOD,
    /** Payments are late; credit still usable. */
    @JsonProperty("watch") WATCH,
    /** Credit is frozen until the account is settled. */
    @JsonProperty("hold") HOLD
}
