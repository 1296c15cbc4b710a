/**
 * The conversation on an escalation: the customer (or the phone system that made it) and the agent holding it
 * exchange text messages, kept with the escalation in a Redis stream and followed by both sides as SSE that resumes
 * from {@code Last-Event-ID}, with the escalation's own events (agent joined, transferred, resolved) told in order.
 */
@NullMarked
package dev.surge.gateway.conversation;

import org.jspecify.annotations.NullMarked;
