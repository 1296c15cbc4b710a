package dev.surge.gateway.backoffice;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a customer returns something: the documented list a return request must pick from. */
public enum ReturnReason {
    @JsonProperty("damaged") DAMAGED,
    @JsonProperty("defective") DEFECTIVE,
    @JsonProperty("wrong_item") WRONG_ITEM,
    @JsonProperty("not_as_described") NOT_AS_DESCRIBED,
    @JsonProperty("arrived_too_late") ARRIVED_TOO_LATE,
    @JsonProperty("no_longer_needed") NO_LONGER_NEEDED,
    @JsonProperty("other") OTHER
}
