package dev.surge.gateway.backoffice;

/**
 * A resource with its version, the back office's {@code ETag} as sent (a quoted entity tag such as {@code "p3"}):
 * pass it back as {@code If-Match} to replace the resource only if nobody changed it meanwhile.
 */
public record Versioned<T>(T value, String etag) {
}
