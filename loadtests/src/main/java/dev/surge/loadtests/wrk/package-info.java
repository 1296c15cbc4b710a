/** Preparation for the wrk benchmark: tokens and order ids of real demo customers, minted over HTTP. */
@NullMarked
package dev.surge.loadtests.wrk;

import org.jspecify.annotations.NullMarked;
