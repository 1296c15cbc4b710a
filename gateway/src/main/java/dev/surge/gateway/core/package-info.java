/**
 * What every feature shares and that depends on no feature: RFC 9457 problem responses, request limits, and small
 * helpers such as free loopback ports for embedded servers.
 */
@NullMarked
package dev.surge.gateway.core;

import org.jspecify.annotations.NullMarked;
