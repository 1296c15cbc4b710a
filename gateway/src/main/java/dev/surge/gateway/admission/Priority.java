package dev.surge.gateway.admission;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;

import dev.surge.gateway.security.Caller;

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

    static Priority of(ServerHttpRequest request, Caller caller) {
        HttpMethod method = request.getMethod();
        return of(request.getPath().value(), method == HttpMethod.GET || method == HttpMethod.HEAD, caller);
    }

    /**
     * The class of a request to {@code path}; {@code read} for GET and HEAD. The caller comes first: an anonymous
     * call is the lowest class whatever its path, so a flood without tokens at the escalation or agent paths (which
     * Spring Security would refuse anyway) is shed first instead of taking the agents' share.
     */
    static Priority of(String path, boolean read, Caller caller) {
        if (caller.kind() == Caller.Kind.ANONYMOUS) {
            return ANONYMOUS;
        }
        if (path.startsWith("/api/v1/agent/") || path.startsWith("/api/v1/escalations")) {
            return AGENT_AND_ESCALATION;
        }
        return switch (caller.kind()) {
            case AGENT, SERVICE -> AGENT_AND_ESCALATION;
            case ANONYMOUS -> ANONYMOUS;
            case CUSTOMER -> {
                if (!read) {
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
