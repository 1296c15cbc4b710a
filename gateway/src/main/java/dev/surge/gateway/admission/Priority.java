package dev.surge.gateway.admission;

import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.route.Route;

/**
 * Admission classes, highest first. A class is admitted while the requests in flight are below its share of the
 * adaptive limit, so as load rises the lowest share is reached first: anonymous calls are shed before standard
 * reads, those before gold and platinum, reads before actions, and the agent API and escalations only at the limit
 * itself.
 */
public enum Priority {
    AGENT_AND_ESCALATION("agent-escalation", 1.0),
    ACTION("action", 0.9),
    PLATINUM_READ("platinum", 0.8),
    GOLD_READ("gold", 0.7),
    STANDARD_READ("standard", 0.6),
    ANONYMOUS("anonymous", 0.5);

    private final String key;
    private final double defaultShare;

    Priority(String key, double defaultShare) {
        this.key = key;
        this.defaultShare = defaultShare;
    }

    public String key() {
        return key;
    }

    double defaultShare() {
        return defaultShare;
    }

    /**
     * The class of a request on this route. The caller comes first: an anonymous call is the lowest class whatever
     * its route, so a flood without tokens at the escalation or agent paths (which Spring Security would refuse
     * anyway) is shed first instead of taking the agents' share.
     */
    static Priority of(Route route, Caller caller) {
        if (caller.kind() == Caller.Kind.ANONYMOUS) {
            return ANONYMOUS;
        }
        if (route.admission() == Route.Admission.RESERVED) {
            return AGENT_AND_ESCALATION;
        }
        return switch (caller.kind()) {
            case AGENT, SERVICE -> AGENT_AND_ESCALATION;
            case ANONYMOUS -> ANONYMOUS;
            case CUSTOMER -> {
                if (!route.read()) {
                    yield ACTION;
                }
                yield switch (caller.tier()) {
                    case PLATINUM -> PLATINUM_READ;
                    case GOLD -> GOLD_READ;
                    case STANDARD -> STANDARD_READ;
                };
            }
        };
    }
}
