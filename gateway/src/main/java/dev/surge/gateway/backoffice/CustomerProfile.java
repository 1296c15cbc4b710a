package dev.surge.gateway.backoffice;

import java.time.LocalDate;
import dev.surge.gateway.identity.Tier;

/** A customer as the customer system knows them. */
public record CustomerProfile(String id, String name, String email, Tier tier, LocalDate customerSince) {
}
