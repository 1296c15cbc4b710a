/**
 * The back office as Surge sees it: its data model (the JSON contract in {@code docs/backoffice-api.md}) and a
 * non-blocking HTTP client that maps its failures to 404, 502 and 504.
 */
@NullMarked
package dev.surge.gateway.backoffice;

import org.jspecify.annotations.NullMarked;
