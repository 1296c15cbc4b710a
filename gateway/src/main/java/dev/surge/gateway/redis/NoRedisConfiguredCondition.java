package dev.surge.gateway.redis;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** True when the operator named no Redis of their own; then, and only then, Surge may start one. */
final class NoRedisConfiguredCondition implements Condition {

    private static final String[] REDIS_LOCATIONS = {
        "spring.data.redis.url", "spring.data.redis.host", "spring.data.redis.port",
        "spring.data.redis.sentinel.nodes", "spring.data.redis.cluster.nodes"
    };

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment environment = context.getEnvironment();
        for (String property : REDIS_LOCATIONS) {
            if (environment.containsProperty(property)) {
                return false;
            }
        }
        return true;
    }
}
