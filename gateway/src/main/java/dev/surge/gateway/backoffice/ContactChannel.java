package dev.surge.gateway.backoffice;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A way to reach a customer. */
public enum ContactChannel {
    @JsonProperty("email") EMAIL,
    @JsonProperty("sms") SMS,
    @JsonProperty("phone") PHONE,
    @JsonProperty("push") PUSH,
    @JsonProperty("post") POST
}
