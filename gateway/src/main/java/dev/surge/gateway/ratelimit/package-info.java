/**
 * Rate limits per customer (per client address when anonymous), several windows per route class, counted locally on
 * the request path and reconciled across instances through Redis at a bounded interval, never per request.
 */
@NullMarked
package dev.surge.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
