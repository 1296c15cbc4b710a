package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.gatling.javaapi.core.ChainBuilder;

/**
 * Signing in. In production the identity provider, not the gateway, signs customers in, so by default the load
 * generator plays the identity provider: it signs HS256 tokens with the demo secret ({@code -Dsurge.jwtSecret}, the
 * gateway's {@code SURGE_DEMO_JWT_SECRET}) carrying the claims the demo issuer puts in, with tiers spread like the
 * demo data (70 % standard, 22 % gold, 8 % platinum). With {@code -Dsurge.signIn=gateway} each customer's app signs
 * in through {@code POST /demo/tokens} instead (one back-office call each, counted as load on the gateway).
 * Either way an app keeps its token for later sessions. Agents always sign in through {@code /demo/tokens}.
 *
 * <p>Hand-written HS256 (a dozen lines of JDK crypto) rather than a JWT library: the suite signs one fixed shape.
 */
final class Tokens {

    /** Session attributes: the customer's id and bearer token. */
    static final String CUSTOMER = "customer";
    static final String TOKEN = "token";

    private static final String DEMO_SECRET = "surge-demo-secret-change-me-0123456789abcdef";
    private static final long TTL_SECONDS = 4 * 3600;
    private static final Map<String, String> KEPT = new ConcurrentHashMap<>();
    private static final boolean THROUGH_GATEWAY = "gateway".equals(Settings.string("surge.signIn", "local"));
    private static final SecretKeySpec KEY = new SecretKeySpec(
            Settings.string("surge.jwtSecret", DEMO_SECRET).getBytes(StandardCharsets.UTF_8), "HmacSHA256");

    private Tokens() {
    }

    /** Picks one of customers c1..cN at random and signs in unless that customer's app already holds a token. */
    static ChainBuilder customer(int customers) {
        return exec(session -> {
            int n = 1 + ThreadLocalRandom.current().nextInt(customers);
            String customer = "c" + n;
            String token = THROUGH_GATEWAY ? KEPT.get(customer) : KEPT.computeIfAbsent(customer, c -> sign(n));
            return token != null ? session.set(CUSTOMER, customer).set(TOKEN, token)
                    : session.set(CUSTOMER, customer).remove(TOKEN);
        }).doIf(session -> !session.contains(TOKEN)).then(
                exec(http("sign in").post("/demo/tokens").body(StringBody("{\"customerId\":\"#{customer}\"}"))
                        .asJson()
                        .check(status().is(200), jmesPath("accessToken").saveAs(TOKEN)))
                        .exec(session -> {
                            if (session.contains(TOKEN)) {
                                KEPT.put(session.getString(CUSTOMER), session.getString(TOKEN));
                            }
                            return session;
                        }));
    }

    /** An agent's token, with all four skills; a failed sign-in is tried again a second later, ten times at most. */
    static ChainBuilder agent() {
        return exec(session -> session.set("agentId", "gatling-" + session.userId()).set("signIns", 0).remove(TOKEN))
                .asLongAs(session -> !session.contains(TOKEN) && session.getInt("signIns") < 10).on(
                        exec(http("agent: sign in").post("/demo/tokens")
                                .body(StringBody("{\"agentId\":\"#{agentId}\",\"skills\":[\"orders\",\"returns\","
                                        + "\"billing\",\"general\"],\"name\":\"#{agentId}\"}")).asJson()
                                .check(status().is(200), jmesPath("accessToken").saveAs(TOKEN)))
                                .exec(session -> session.set("signIns", session.getInt("signIns") + 1))
                                .doIf(session -> !session.contains(TOKEN)).then(pause(Duration.ofSeconds(1))));
    }

    /** A customer token as the demo issuer shapes it (iss, sub, iat, exp, roles, tier). */
    static String sign(int customer) {
        // A fixed hash of the number, so a customer keeps their tier across runs.
        int draw = (int) Math.floorMod(customer * 2_654_435_761L, 100L);
        String tier = draw < 70 ? "standard" : draw < 92 ? "gold" : "platinum";
        long now = Instant.now().getEpochSecond();
        String header = base64("{\"alg\":\"HS256\"}");
        String claims = base64("{\"iss\":\"surge-demo\",\"sub\":\"c" + customer + "\",\"iat\":" + now + ",\"exp\":"
                + (now + TTL_SECONDS) + ",\"roles\":[\"customer\"],\"tier\":\"" + tier + "\"}");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(KEY);
            byte[] signature = mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
