package dev.surge.gateway.security;

/**
 * The roles a token can carry in its {@code roles} claim, and the claims Surge reads. Customer tokens carry the
 * customer id as {@code sub}; agent tokens the agent id and {@code skills}; service tokens (IVR, CTI) the service id.
 */
public final class SurgeRoles {

    public static final String CLAIM_ROLES = "roles";
    public static final String CLAIM_SKILLS = "skills";
    public static final String CLAIM_NAME = "name";
    /** A customer's loyalty tier (standard, gold, platinum), set by the identity provider; standard if absent. */
    public static final String CLAIM_TIER = "tier";

    public static final String CUSTOMER = "customer";
    public static final String AGENT = "agent";
    public static final String SERVICE = "service";
    /** Operations staff and supervisors: the fleet-wide contact figures ({@code GET /api/v1/ops/summary}). */
    public static final String OPS = "ops";

    private SurgeRoles() {
    }
}
