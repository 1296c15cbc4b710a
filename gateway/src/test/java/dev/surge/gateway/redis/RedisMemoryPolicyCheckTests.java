package dev.surge.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The start-up check reads the state Redis' {@code maxmemory-policy} from real Redis servers: quiet on
 * {@code noeviction}, a warning on an evicting policy, and no failure where {@code CONFIG} is refused (as managed
 * services do).
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisMemoryPolicyCheckTests {

    private static final long MAX_MEMORY = 16L * 1024 * 1024;

    private static RedisMemoryPolicyCheck.Verdict check(EmbeddedRedis redis) {
        redis.start();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
        factory.afterPropertiesSet();
        factory.start();
        try {
            return new RedisMemoryPolicyCheck(factory).check().block(Duration.ofSeconds(10));
        } finally {
            factory.destroy();
            redis.stop();
        }
    }

    @Test
    void theEmbeddedStateRedisEvictsNothing(CapturedOutput output) {
        assertThat(check(new EmbeddedRedis(0, MAX_MEMORY))).isEqualTo(RedisMemoryPolicyCheck.Verdict.SAFE);
        assertThat(output.getOut()).doesNotContain("maxmemory-policy");
    }

    @Test
    void anEvictingPolicyIsWarnedAbout(CapturedOutput output) {
        assertThat(check(new EmbeddedRedis(0, MAX_MEMORY, "allkeys-lru")))
                .isEqualTo(RedisMemoryPolicyCheck.Verdict.EVICTING);
        assertThat(output.getOut()).contains("WARN").contains("maxmemory-policy allkeys-lru")
                .contains("queued escalations included");
        assertThat(check(new EmbeddedRedis(0, MAX_MEMORY, "volatile-lru")))
                .isEqualTo(RedisMemoryPolicyCheck.Verdict.EVICTING);
        assertThat(output.getOut()).contains("maxmemory-policy volatile-lru").contains("Idempotency-Keys");
    }

    @Test
    void aRedisThatRefusesConfigIsNoReasonToFail(CapturedOutput output) {
        // As managed services do: CONFIG is not available to clients.
        assertThat(check(new EmbeddedRedis(0, MAX_MEMORY, "allkeys-lru", "rename-command CONFIG \"\"")))
                .isEqualTo(RedisMemoryPolicyCheck.Verdict.UNKNOWN);
        assertThat(output.getOut()).contains("Could not read the state Redis' maxmemory-policy")
                .doesNotContain("WARN");
    }
}
