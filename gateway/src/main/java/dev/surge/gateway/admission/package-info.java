/**
 * Adaptive admission: a latency-driven concurrency limit in front of the request path that sheds the lowest
 * priority classes first (anonymous, then standard, gold and platinum reads, then actions), so the agent API and
 * escalations keep working under a spike, and a shed request is told at once instead of queueing into a timeout.
 */
@NullMarked
package dev.surge.gateway.admission;

import org.jspecify.annotations.NullMarked;
