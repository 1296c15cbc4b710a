package dev.surge.gateway.backoffice;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/**
 * One order line as far as returns go: bought, already returned, how many can still be returned ({@code returnable},
 * 0 with a {@code reason} when none) and the refund those would bring ({@code refundEstimate}).
 */
public record ReturnableLine(String sku, String description, int bought, int returned, int returnable,
                             BigDecimal unitPrice, BigDecimal refundEstimate, @Nullable Refusal reason) {
}
