/**
 * Redis for Surge: on the embedded default a real Redis server started and stopped with the app on a free loopback
 * port; otherwise the Redis named by {@code spring.data.redis.*}.
 */
@NullMarked
package dev.surge.gateway.redis;

import org.jspecify.annotations.NullMarked;
