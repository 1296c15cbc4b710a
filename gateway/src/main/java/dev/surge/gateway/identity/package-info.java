/**
 * Who is calling: the one {@link dev.surge.gateway.identity.Caller} type (customer with their
 * {@link dev.surge.gateway.identity.Tier}, agent, phone system, anonymous) that every feature reads, resolved once per
 * request by {@code security}.
 */
@NullMarked
package dev.surge.gateway.identity;

import org.jspecify.annotations.NullMarked;
