/**
 * The Gatling load-test suite: scenarios modelled on how apps, anonymous visitors and agents use Surge, the
 * simulations ops run against a gateway (one the run starts, or one already running on loopback), and the smoke run
 * that CI executes inside {@code mvn -B verify}.
 */
@NullMarked
package dev.surge.loadtests.gatling;

import org.jspecify.annotations.NullMarked;
