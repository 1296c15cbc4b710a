package dev.surge.gateway.backoffice;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a customer's orders, newest first. {@code next} is the id of the last order on this page when more
 * follow (pass it as {@code after} to get the next page), otherwise null.
 */
public record OrderPage(List<OrderSummary> orders, @Nullable String next) {
}
