/**
 * The web pages the gateway serves, the agent console ({@code /console/}) and the customer page ({@code /app/}): plain
 * HTML, CSS and JavaScript modules under {@code static/}, no build step, calling the same public API as any app.
 */
@NullMarked
package dev.surge.gateway.pages;

import org.jspecify.annotations.NullMarked;
