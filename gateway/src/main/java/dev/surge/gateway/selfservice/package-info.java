/**
 * The self-service API v1 for web and mobile apps: a customer's profile, account, orders and shipments, and public
 * stock levels, each with an ETag so apps revalidate with a cheap 304.
 */
@NullMarked
package dev.surge.gateway.selfservice;

import org.jspecify.annotations.NullMarked;
