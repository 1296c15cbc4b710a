package dev.surge.gateway.backoffice;

import java.math.BigDecimal;

/** Balance and credit of a customer's account. A positive balance is money the customer owes. */
public record Account(String customerId, BigDecimal balance, BigDecimal creditLimit, String currency,
                      CreditStatus creditStatus) {
}
