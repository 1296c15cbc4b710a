/**
 * Surge, the self-service gateway: the application entry point. Features live in sub-packages, one per concern;
 * {@code docs/architecture.md} maps the request path onto them.
 */
@NullMarked
package dev.surge.gateway;

import org.jspecify.annotations.NullMarked;
