/**
 * The back office as Surge sees it: its data model (the JSON contract in {@code docs/backoffice-api.md}) and a
 * non-blocking HTTP client for its reads and the self-service writes, which maps its failures to 404, 502 and 504, a
 * write's documented refusal to its own status, and a write without an answer to "outcome unknown".
 */
@NullMarked
package dev.surge.gateway.backoffice;

import org.jspecify.annotations.NullMarked;
