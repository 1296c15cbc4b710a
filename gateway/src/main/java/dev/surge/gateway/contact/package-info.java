/**
 * Fleet-wide contact metrics: every instance adds what happened (self-service activity, escalations, actions, queue
 * answers and abandons, protection counters) to shared one-minute and one-hour buckets in Redis, off the request
 * path, and any instance reads a window's buckets back to answer {@code GET /api/v1/ops/summary} and to keep the
 * {@code surge.contact.*} gauges (docs/metrics.md).
 */
@NullMarked
package dev.surge.gateway.contact;

import org.jspecify.annotations.NullMarked;
