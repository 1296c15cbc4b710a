package dev.surge.gateway.redis;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import reactor.core.publisher.Mono;

/**
 * Once at start-up, asks the state Redis ({@code spring.data.redis.*}: the queue, idempotency keys, journeys, rate
 * limits, waiting room, notifications) for its {@code maxmemory-policy} and warns when it may evict: {@code volatile-*}
 * evicts keys with a TTL (Idempotency-Keys, journeys, agent presence), {@code allkeys-*} any key, queued escalations
 * included. Only a warning: the operator may know better, and managed services (ElastiCache, Memorystore, Azure)
 * often refuse {@code CONFIG GET}, which is then said once at INFO and is no reason not to start.
 */
final class RedisMemoryPolicyCheck implements ApplicationListener<ApplicationReadyEvent> {

    /** What the check found. */
    enum Verdict { SAFE, EVICTING, UNKNOWN }

    static final String SAFE_POLICY = "noeviction";
    private static final Logger log = LoggerFactory.getLogger(RedisMemoryPolicyCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisConnectionFactory factory;

    RedisMemoryPolicyCheck(ReactiveRedisConnectionFactory factory) {
        this.factory = factory;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        check().subscribe(); // logs by itself; never holds up start-up
    }

    /** Reads the policy and logs what it means; never fails. */
    Mono<Verdict> check() {
        return Mono.usingWhen(Mono.fromSupplier(factory::getReactiveConnection),
                        connection -> connection.serverCommands().getConfig("maxmemory-policy"),
                        ReactiveRedisConnection::closeLater)
                .timeout(TIMEOUT)
                .map(config -> {
                    String policy = config.getProperty("maxmemory-policy");
                    if (policy == null) {
                        return unknown("it did not name one");
                    }
                    if (SAFE_POLICY.equalsIgnoreCase(policy)) {
                        log.debug("The state Redis runs maxmemory-policy noeviction");
                        return Verdict.SAFE;
                    }
                    log.warn("The state Redis (spring.data.redis.*: queue, Idempotency-Keys, journeys, rate limits) runs "
                            + "maxmemory-policy {}: when it fills up it evicts {}. Set maxmemory-policy noeviction, "
                            + "and give the cache a Redis of its own (surge.cache.redis.url) with allkeys-lru; see "
                            + "docs/architecture.md, \"Redis roles\".", policy,
                            policy.toLowerCase().startsWith("allkeys")
                                    ? "any key, queued escalations included"
                                    : "keys with a TTL, Idempotency-Keys and journeys among them");
                    return Verdict.EVICTING;
                })
                .onErrorResume(e -> Mono.just(unknown("CONFIG GET was refused or failed: " + e.getMessage())))
                .defaultIfEmpty(Verdict.UNKNOWN);
    }

    private static Verdict unknown(String why) {
        log.info("Could not read the state Redis' maxmemory-policy ({}); make sure it is noeviction, so memory "
                + "pressure never evicts a queued escalation (docs/architecture.md, \"Redis roles\").", why);
        return Verdict.UNKNOWN;
    }
}
