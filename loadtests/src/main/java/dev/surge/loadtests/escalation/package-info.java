/** The escalation benchmark: created and claimed per second end to end, p99 of create, lost and duplicated. */
@NullMarked
package dev.surge.loadtests.escalation;

import org.jspecify.annotations.NullMarked;
