package dev.surge.gateway.identity;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Loyalty tier of a customer; decides priority in admission and in the agent queue. */
public enum Tier {
    @JsonProperty("standard") STANDARD,
    @JsonProperty("gold") GOLD,
    @JsonProperty("platinum") PLATINUM
}
