/**
 * The OpenAPI 3.1 description of the customer, agent and ops APIs, made from the route table so that every declared
 * route is described with its parameters, bodies and the problem responses it can give (docs/openapi.md).
 */
@NullMarked
package dev.surge.gateway.apidocs;

import org.jspecify.annotations.NullMarked;
