package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.gatling.javaapi.core.ChainBuilder;

/**
 * What people do, as Gatling chains. Each user thinks between requests like a person (the think time is a
 * parameter: 5–15 s in the spike, shorter in the smoke run).
 */
final class Journeys {

    private static final List<String> REASONS = List.of("order_problem", "delivery", "return", "billing", "other");

    private Journeys() {
    }

    /**
     * A mobile app: signs in (once per customer), lists the newest orders, opens the newest one and, if it shipped,
     * its tracking, then keeps refreshing the order and its tracking, revalidating with the ETag it holds (Gatling's
     * HTTP cache sends {@code If-None-Match}, the gateway answers 304 while nothing changed). A share of sessions
     * ({@code -Dsurge.actions.share}, 10 %) acts on one of the listed orders first ({@link SelfServiceActions}).
     */
    static ChainBuilder mobileApp(int customers, int refreshes, Duration thinkMin, Duration thinkMax) {
        return mobileApp(customers, refreshes, thinkMin, thinkMax, SelfServiceActions.SHARE,
                SelfServiceActions.STALE);
    }

    /**
     * {@link #mobileApp(int, int, Duration, Duration)} with this share of sessions acting (0..1), and this share of
     * those whose order allows nothing trying a return anyway.
     */
    static ChainBuilder mobileApp(int customers, int refreshes, Duration thinkMin, Duration thinkMax,
                                  double actionShare, double staleShare) {
        return exec(Outcomes::userStarted)
                .exec(Tokens.customer(customers))
                .exec(Requests.customerRead("me", "/api/v1/me"))
                .pause(thinkMin, thinkMax)
                .exec(session -> session.remove(SelfServiceActions.ORDER_IDS))
                .exec(Requests.customerGet("orders: list", "/api/v1/me/orders?limit=5")
                        .check(Requests.recorded(200, 304, 429, 503))
                        .check(jmesPath("orders[0].id").optional().saveAs("orderId"),
                                jmesPath("orders[0].status").optional().saveAs("orderStatus"),
                                jmesPath("orders[*].id").ofList().optional().saveAs(SelfServiceActions.ORDER_IDS)))
                .exec(Outcomes::record)
                .exec(SelfServiceActions.sometimes(actionShare, staleShare))
                .repeat(refreshes).on(
                        pause(thinkMin, thinkMax)
                                .doIf(session -> session.contains("orderId")).then(
                                        exec(Requests.customerRead("order", "/api/v1/me/orders/#{orderId}"))
                                                .doIf(session -> shipped(session.getString("orderStatus"))).then(
                                                        pause(thinkMin, thinkMax)
                                                                .exec(Requests.customerRead("order: shipment",
                                                                        "/api/v1/me/orders/#{orderId}/shipment"))))
                                .doIf(session -> !session.contains("orderId")).then(
                                        exec(Requests.customerRead("orders: list again",
                                                "/api/v1/me/orders?limit=5"))))
                .exec(Outcomes::userEnded);
    }

    /**
     * A customer who tries self-service before anything else: lists their newest orders and acts on one of them
     * ({@link SelfServiceActions#act()}, every session), a refusal leading some to the escalation it offers.
     */
    static ChainBuilder selfServiceFirst(int customers) {
        return exec(Outcomes::userStarted)
                .exec(Tokens.customer(customers))
                .exec(Requests.customerGet("orders: list", "/api/v1/me/orders?limit=5")
                        .check(Requests.recorded(200, 304, 429, 503))
                        .check(jmesPath("orders[*].id").ofList().optional().saveAs(SelfServiceActions.ORDER_IDS)))
                .exec(Outcomes::record)
                .exec(SelfServiceActions.sometimes(1.0, SelfServiceActions.STALE))
                .exec(Outcomes::userEnded);
    }

    private static boolean shipped(String status) {
        return "shipped".equals(status) || "delivered".equals(status);
    }

    /** An anonymous visitor checking stock of a few products (public, limited per client address). */
    static ChainBuilder stockChecks(int checks, Duration thinkMin, Duration thinkMax) {
        return exec(Outcomes::userStarted)
                .repeat(checks).on(
                        exec(session -> session.set("sku",
                                String.format("SKU-%05d", 1 + ThreadLocalRandom.current().nextInt(5_000))))
                                .exec(http("stock").get("/api/v1/inventory/#{sku}")
                                        .check(Requests.recorded(200, 304, 429, 503)))
                                .exec(Outcomes::record)
                                .pause(thinkMin, thinkMax))
                .exec(Outcomes::userEnded);
    }

    /**
     * A customer who needs a person: reads their account, escalates (Idempotency-Key; on 429/503 the app retries
     * with the same key after {@code Retry-After}, and sometimes re-sends a request that already succeeded, as an app
     * does when a response is lost), then polls the escalation's status until an agent takes it or it gives up
     * waiting. Every escalation created is entered in the {@link EscalationLedger}.
     */
    static ChainBuilder escalateAndWait(int customers, int polls, Duration pollEvery) {
        return exec(Outcomes::userStarted)
                .exec(Tokens.customer(customers))
                .exec(Requests.customerRead("account", "/api/v1/me/account"))
                .exec(session -> session.set("idempotencyKey", UUID.randomUUID().toString())
                        .set("reason", REASONS.get(ThreadLocalRandom.current().nextInt(REASONS.size())))
                        .set("channel", ThreadLocalRandom.current().nextBoolean() ? "web" : "mobile")
                        .set("attempts", 0).remove("escalationId"))
                .asLongAs(session -> !session.contains("escalationId") && session.getInt("attempts") < 3).on(
                        exec(createEscalation("escalation: create"))
                                .exec(session -> session.set("attempts", session.getInt("attempts") + 1))
                                .doIf(session -> !session.contains("escalationId")).then(pause(Duration.ofSeconds(1))))
                .doIf(session -> session.contains("escalationId")).then(
                        exec(session -> {
                            EscalationLedger.run().created(session.getString("idempotencyKey"),
                                    session.getString("escalationId"), session.getString(Tokens.TOKEN));
                            return session.set("first", session.getString("escalationId"));
                        })
                                // One in ten apps lost the 202 and sends the same request again: same id expected.
                                .doIf(session -> ThreadLocalRandom.current().nextInt(10) == 0).then(
                                        exec(createEscalation("escalation: create again (same key)"))
                                                .exec(session -> {
                                                    EscalationLedger.run().created(
                                                            session.getString("idempotencyKey"),
                                                            session.getString("escalationId"),
                                                            session.getString(Tokens.TOKEN));
                                                    return session;
                                                }))
                                .exec(session -> session.set("waiting", true).set("polled", 0))
                                .asLongAs(session -> session.getBoolean("waiting") && session.getInt("polled") < polls)
                                .on(pause(pollEvery)
                                        .exec(Requests.customerGet("escalation: status",
                                                        "/api/v1/escalations/#{escalationId}")
                                                .check(Requests.recorded(200, 429, 503))
                                                .check(jmesPath("status").optional().saveAs("escalationStatus")))
                                        .exec(Outcomes::record)
                                        .exec(session -> session.set("polled", session.getInt("polled") + 1)
                                                .set("waiting", !session.contains("escalationStatus")
                                                        || waiting(session.getString("escalationStatus"))))))
                .exec(Outcomes::userEnded);
    }

    private static boolean waiting(String status) {
        return "queued".equals(status) || "offered".equals(status) || "callback_scheduled".equals(status);
    }

    private static ChainBuilder createEscalation(String name) {
        return exec(http(name).post("/api/v1/escalations")
                .header("Authorization", "Bearer #{" + Tokens.TOKEN + "}")
                .header("Idempotency-Key", "#{idempotencyKey}")
                .body(StringBody("{\"reason\":\"#{reason}\",\"channel\":\"#{channel}\","
                        + "\"message\":\"I need a person (load test)\"}")).asJson()
                .check(Requests.recorded(202, 429, 503))
                .checkIf((response, session) -> response.status().code() == 202)
                .then(jmesPath("id").saveAs("escalationId")))
                .exec(Outcomes::record);
    }

    /**
     * An agent's shift: claims the best waiting escalation, accepts it, handles it for a while and resolves it; when
     * nothing waits, looks again a second later. Claims and resolutions go into the {@link EscalationLedger}.
     */
    static ChainBuilder agentShift(Duration shift, Duration handleMin, Duration handleMax) {
        return exec(Tokens.agent())
                .during(shift).on(
                        exec(http("agent: claim").post("/api/v1/agent/escalations/claim")
                                .header("Authorization", "Bearer #{" + Tokens.TOKEN + "}")
                                .body(StringBody("{}")).asJson()
                                .check(Requests.recorded(200, 204, 429, 503))
                                .checkIf((response, session) -> response.status().code() == 200)
                                .then(jmesPath("id").saveAs("claimed")))
                                .exec(Outcomes::record)
                                .doIfOrElse(session -> session.contains("claimed")).then(
                                        exec(session -> {
                                            EscalationLedger.run().claimed(session.getString("claimed"));
                                            return session;
                                        })
                                                .exec(agentAction("agent: accept", "accept", "{}"))
                                                .pause(handleMin, handleMax)
                                                .exec(agentAction("agent: resolve", "resolve",
                                                        "{\"disposition\":\"solved\",\"notes\":\"load test\"}"))
                                                .exec(session -> {
                                                    if (session.getBoolean("resolvedOk")) {
                                                        EscalationLedger.run().resolved(session.getString("claimed"));
                                                    }
                                                    return session.remove("claimed");
                                                }))
                                .orElse(pause(Duration.ofSeconds(1))));
    }

    private static ChainBuilder agentAction(String name, String action, String body) {
        return exec(http(name).post("/api/v1/agent/escalations/#{claimed}/" + action)
                .header("Authorization", "Bearer #{" + Tokens.TOKEN + "}")
                .body(StringBody(body)).asJson()
                .check(Requests.recorded(200, 204, 429, 503)))
                .exec(session -> session.set("resolvedOk", session.contains(Outcomes.STATUS)
                        && session.getInt(Outcomes.STATUS) / 100 == 2))
                .exec(Outcomes::record);
    }
}
