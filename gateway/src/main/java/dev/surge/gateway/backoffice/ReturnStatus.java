package dev.surge.gateway.backoffice;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a return stands, in the order the states normally follow each other. */
public enum ReturnStatus {
    /** Authorised, label issued: waiting for the customer to send the parcel. */
    @JsonProperty("awaiting_parcel") AWAITING_PARCEL,
    @JsonProperty("in_transit") IN_TRANSIT,
    @JsonProperty("received") RECEIVED,
    @JsonProperty("refunded") REFUNDED
}
