package dev.surge.gateway.selfservice;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.OrderSummary;

/** A page of the customer's orders, newest first; pass {@code nextCursor} back as {@code cursor} for the next. */
record OrderList(List<OrderSummary> orders, @Nullable String nextCursor) {
}
