/**
 * The two-tier response cache of the self-service read path: a bounded near cache per instance in front of a shared
 * Redis cache, holding encoded bodies with their ETags, with request coalescing, a cross-instance refresh lease,
 * stale-while-revalidate and stale-if-error (RFC 5861), early refresh of hot keys, and eviction across instances.
 */
@NullMarked
package dev.surge.gateway.cache;

import org.jspecify.annotations.NullMarked;
