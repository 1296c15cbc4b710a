package dev.surge.gateway.backoffice;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Life cycle of an order, in the order the states normally follow each other. */
public enum OrderStatus {
    @JsonProperty("placed") PLACED,
    @JsonProperty("paid") PAID,
    @JsonProperty("packed") PACKED,
    @JsonProperty("shipped") SHIPPED,
    @JsonProperty("delivered") DELIVERED,
    @JsonProperty("cancelled") CANCELLED,
    @JsonProperty("returned") RETURNED
}
