/**
 * Who is calling: JWT bearer authentication (HS256 with a shared secret on the demo profile, the identity provider's
 * JWKS in prod), the roles customer, agent and service, and 401/403 answers as problem+json.
 */
@NullMarked
package dev.surge.gateway.security;

import org.jspecify.annotations.NullMarked;
