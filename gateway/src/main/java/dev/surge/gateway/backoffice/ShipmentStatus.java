package dev.surge.gateway.backoffice;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a shipment stands. */
public enum ShipmentStatus {
    @JsonProperty("label_created") LABEL_CREATED,
    @JsonProperty("in_transit") IN_TRANSIT,
    @JsonProperty("out_for_delivery") OUT_FOR_DELIVERY,
    @JsonProperty("delivered") DELIVERED,
    @JsonProperty("exception") EXCEPTION
}
