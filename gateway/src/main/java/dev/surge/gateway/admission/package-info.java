/**
 * Adaptive admission: a latency-driven concurrency limit in front of the request path that sheds the lowest
 * priority classes first (anonymous, then standard, gold and platinum reads, then actions), so the agent API and
 * escalations keep working under a spike, and a shed request is told at once instead of queueing into a timeout.
 * A shed customer gets a signed place in the waiting room, a FIFO queue shared by every instance through Redis and
 * moved on as capacity frees.
 */
@NullMarked
package dev.surge.gateway.admission;

import org.jspecify.annotations.NullMarked;
