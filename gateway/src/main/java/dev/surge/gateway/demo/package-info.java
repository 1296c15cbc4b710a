/**
 * The demo back office: a simulator on its own Reactor Netty server with deterministic data for customers
 * {@code c1}…{@code cN} dated from the current day, the self-service write endpoints with the shop's rules and
 * Idempotency-Keys over bounded in-memory changes, fault injection and call statistics, so Surge runs and is tested
 * with nothing else installed. Never active on the prod profile.
 */
@NullMarked
package dev.surge.gateway.demo;

import org.jspecify.annotations.NullMarked;
