package dev.surge.gateway.security;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The identity provider's signing keys, as {@code NimbusReactiveJwtDecoder.withJwkSource} asks for them: the keys
 * matching a token's header (its {@code kid} and algorithm), from the last JWKS fetched.
 *
 * <ul>
 *   <li>Known keys are answered from memory; once the set is older than the refresh interval, one fetch runs in the
 *       background while the known keys keep answering (refresh ahead, no request waits for it).</li>
 *   <li>A {@code kid} not in the set (a rotation, or a forged token) fetches the set, but at most once per minimum
 *       fetch interval, whatever the number of such tokens: until then an unknown key is simply not found (401).
 *       Concurrent callers share the fetch in flight.</li>
 *   <li>A fetch is bounded by its timeout; a failed or slow one keeps every known key (an identity provider that is
 *       down or slow costs nothing to tokens signed with keys already seen) and counts as a fetch for the rate limit,
 *       so a failing endpoint is not hammered.</li>
 *   <li>A key is trusted for as long as the last successful fetch lists it: a key the provider withdraws stops
 *       verifying new tokens at the next refresh.</li>
 * </ul>
 *
 * Hand-written because neither library does this without blocking: Spring Security's own reactive JWKS source keeps
 * the first set forever and fetches again, unbounded in time and rate, for every token with an unknown {@code kid}
 * (one forged header per request would be one JWKS call per request); Nimbus' {@code JWKSourceBuilder} has the cache,
 * refresh-ahead and rate limit, but fetches with a blocking {@code HttpURLConnection} on the caller's thread, which
 * here is an event loop. Selection and parsing stay Nimbus'.
 */
final class JwksKeys implements Function<SignedJWT, Flux<JWK>> {

    static final String FETCHES = "surge.security.jwks.fetches";
    private static final Logger log = LoggerFactory.getLogger(JwksKeys.class);

    private final WebClient client;
    private final URI uri;
    private final long refreshIntervalMillis;
    private final long minFetchIntervalMillis;
    private final Duration fetchTimeout;
    private final Clock clock;
    private final Counter fetched;
    private final Counter failed;

    // Guarded by this; only decisions are taken under the lock, never I/O.
    private @Nullable JWKSet keys;
    private long fetchedAt;
    private long lastAttempt;
    private boolean attempted;
    private @Nullable Mono<JWKSet> inFlight;

    JwksKeys(WebClient client, URI uri, Duration refreshInterval, Duration minFetchInterval, Duration fetchTimeout,
             Clock clock, MeterRegistry registry) {
        this.client = client;
        this.uri = uri;
        this.refreshIntervalMillis = refreshInterval.toMillis();
        this.minFetchIntervalMillis = minFetchInterval.toMillis();
        this.fetchTimeout = fetchTimeout;
        this.clock = clock;
        this.fetched = Counter.builder(FETCHES).tag("outcome", "success")
                .description("JWKS fetches from the identity provider").register(registry);
        this.failed = Counter.builder(FETCHES).tag("outcome", "failure")
                .description("JWKS fetches from the identity provider").register(registry);
    }

    @Override
    public Flux<JWK> apply(SignedJWT token) {
        JWKMatcher matcher = JWKMatcher.forJWSHeader(token.getHeader());
        if (matcher == null) {
            return Flux.empty(); // an algorithm no JWK can verify
        }
        JWKSelector selector = new JWKSelector(matcher);
        JWKSet known;
        boolean stale;
        synchronized (this) {
            known = keys;
            stale = known != null && clock.millis() - fetchedAt >= refreshIntervalMillis;
        }
        List<JWK> found = known != null ? selector.select(known) : List.of();
        if (!found.isEmpty()) {
            if (stale) {
                fetchIfAllowed().subscribe(); // errors are handled inside
            }
            return Flux.fromIterable(found);
        }
        return fetchIfAllowed().flatMapIterable(selector::select);
    }

    /** The fetch in flight, a new one if none ran within the minimum interval, or nothing. Never fails. */
    private Mono<JWKSet> fetchIfAllowed() {
        synchronized (this) {
            if (inFlight != null) {
                return inFlight;
            }
            long now = clock.millis();
            if (attempted && now - lastAttempt < minFetchIntervalMillis) {
                return Mono.empty();
            }
            attempted = true;
            lastAttempt = now;
            Mono<JWKSet> fetch = client.get().uri(uri).retrieve().bodyToMono(String.class)
                    .timeout(fetchTimeout)
                    .map(JwksKeys::parse)
                    .doOnNext(this::remember)
                    .onErrorResume(e -> {
                        failed.increment();
                        log.warn("Could not fetch the identity provider's keys from {} ({}); the {} known keys stay in "
                                + "use, next try in {} ms at the earliest", uri, e.toString(), knownCount(),
                                minFetchIntervalMillis);
                        return Mono.empty();
                    })
                    .doFinally(signal -> finished())
                    .cache();
            inFlight = fetch;
            return fetch;
        }
    }

    private synchronized void remember(JWKSet set) {
        keys = set;
        fetchedAt = clock.millis();
        fetched.increment();
    }

    private synchronized void finished() {
        inFlight = null;
    }

    private synchronized int knownCount() {
        return keys != null ? keys.size() : 0;
    }

    private static JWKSet parse(String body) {
        try {
            // Public parts only: a JWKS that carried private members by mistake must not keep them in memory.
            return JWKSet.parse(body).toPublicJWKSet();
        } catch (ParseException e) {
            throw new IllegalStateException("the JWKS is not a JSON Web Key Set: " + e.getMessage(), e);
        }
    }
}
