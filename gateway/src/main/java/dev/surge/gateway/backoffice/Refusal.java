package dev.surge.gateway.backoffice;

import java.net.URI;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why the back office will not do an action on an order: the same code explains a missing button (an eligibility's
 * {@code reason}) and a refused write ({@link BackOfficeProblem#refusal()}), so an app and the gateway speak of one
 * refusal in one word. Each has the HTTP status and stable problem type a refused write answers with
 * ({@code docs/backoffice-api.md}): 409 when the order's state forbids it, 422 when a business rule does.
 */
public enum Refusal {
    /** Returns: the order has not been delivered yet. */
    @JsonProperty("order_not_delivered") ORDER_NOT_DELIVERED(409, "order-not-delivered"),
    /** Any action: the order was cancelled. */
    @JsonProperty("order_cancelled") ORDER_CANCELLED(409, "order-cancelled"),
    /** Cancellation and address change: the order has left the warehouse. */
    @JsonProperty("order_shipped") ORDER_SHIPPED(409, "order-shipped"),
    /** Returns: the return window (by default 30 days from delivery) has closed. */
    @JsonProperty("return_window_closed") RETURN_WINDOW_CLOSED(422, "return-window-closed"),
    /** Returns: the item was sold as final sale and cannot be returned. */
    @JsonProperty("final_sale") FINAL_SALE(422, "final-sale"),
    /** Returns and cancellations: more than is left (bought minus already returned or cancelled). */
    @JsonProperty("nothing_left") NOTHING_LEFT(422, "nothing-left");

    private final int status;
    private final String slug;

    Refusal(int status, String slug) {
        this.status = status;
        this.slug = slug;
    }

    /** 409 (the order's state forbids it) or 422 (a business rule does). */
    public int status() {
        return status;
    }

    /** The problem type of a write refused for this reason. */
    public URI type() {
        return URI.create(BackOfficeProblem.TYPE_PREFIX + slug);
    }

    /** The refusal a problem type stands for, or null for any other type. */
    public static @Nullable Refusal ofType(@Nullable URI type) {
        return type == null ? null
                : Arrays.stream(values()).filter(r -> r.type().equals(type)).findFirst().orElse(null);
    }
}
