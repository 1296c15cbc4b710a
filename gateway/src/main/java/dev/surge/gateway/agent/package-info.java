/**
 * The agent side of escalations: agents (role agent, skills from their token) claim the best waiting escalation as
 * a reservation with a timeout, accept, decline, transfer or resolve it, and watch the queues; a reaper returns
 * expired reservations and reclaims what vanished agents hold.
 */
@NullMarked
package dev.surge.gateway.agent;

import org.jspecify.annotations.NullMarked;
