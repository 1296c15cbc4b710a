/**
 * The bare Reactor Netty server that is the ceiling of every Surge benchmark: each published figure is a ratio to it,
 * measured in the same run.
 */
@NullMarked
package dev.surge.loadtests.baseline;

import org.jspecify.annotations.NullMarked;
