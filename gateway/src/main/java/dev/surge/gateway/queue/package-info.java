/**
 * The agent queues in Redis, one per skill, with tier priority and aging and reservations in a stream's pending
 * list: {@link dev.surge.gateway.queue.EscalationQueue} is how agents work from them,
 * {@link dev.surge.gateway.queue.CustomerQueue} how escalations get in and how their customers follow them; every
 * change is one Lua script under {@code scripts/queue/}.
 */
@NullMarked
package dev.surge.gateway.queue;

import org.jspecify.annotations.NullMarked;
