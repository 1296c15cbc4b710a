package dev.surge.gateway.backoffice;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/** Money going back to the customer, and where to (a display text such as "Visa ending 4242"; null: nothing). */
public record Refund(BigDecimal amount, String currency, @Nullable String method) {
}
