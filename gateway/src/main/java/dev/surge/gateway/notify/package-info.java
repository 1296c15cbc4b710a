/**
 * Business-process notifications: rules in properties (a platinum customer escalates, a customer escalates again
 * within a day, ...) put events on the Redis stream {@code surge:notifications} and, when configured, a signed
 * webhook delivers them at least once, never in the escalation's way.
 */
@NullMarked
package dev.surge.gateway.notify;

import org.jspecify.annotations.NullMarked;
