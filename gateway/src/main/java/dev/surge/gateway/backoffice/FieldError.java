package dev.surge.gateway.backoffice;

/** One invalid field of a request ({@code lines[0].quantity}, {@code postalCode}) and what is wrong with it. */
public record FieldError(String field, String detail) {
}
