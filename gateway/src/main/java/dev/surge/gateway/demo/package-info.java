/**
 * The demo back office: a simulator on its own Reactor Netty server with deterministic data for customers
 * {@code c1}…{@code cN}, fault injection and call statistics, so Surge runs and is tested with nothing else installed.
 * Never active on the prod profile.
 */
@NullMarked
package dev.surge.gateway.demo;

import org.jspecify.annotations.NullMarked;
