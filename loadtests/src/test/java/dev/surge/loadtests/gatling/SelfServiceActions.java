package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * A customer doing something themselves (issue 21): looks at what one of their two newest orders allows
 * ({@code GET /api/v1/me/orders/{orderId}/actions}) and, when it allows it, returns one unit of a returnable line or
 * cancels the whole order, with an Idempotency-Key of its own. An answer that says nothing (429, 503, 502, 504, 409
 * {@code idempotency-key-in-use}, or none) is retried with the same key a second later, as an app does; one app in
 * ten ({@code resend}) lost the final answer to its own timeout and sends the same request again with the same key,
 * which must get the identical answer. A refusal (409/422) is an answer, counted apart from errors; with the
 * problem's prefilled {@code escalation} offer, a share of refused customers ({@code escalate}) send it as it is to
 * reach a person. When the order allows nothing, a share ({@code stale}) tries a return anyway, as an app showing an
 * old screen does, which the back office refuses. Every write goes into the {@link WriteLedger}, every escalation
 * into the {@link EscalationLedger}.
 *
 * <p>Properties ({@code -Dsurge.actions.xxx}): {@code share} (0.1: of mobile-app sessions that act; a simulation may
 * give its own default), {@code resend} (0.1), {@code stale} (0.2; the smoke run 1.0), {@code escalate} (0.5),
 * {@code attempts} (4: per key before the app gives up; the verification after the load sends what is still
 * unknown again).
 */
final class SelfServiceActions {

    /** Session attribute: the ids of the orders the app listed. */
    static final String ORDER_IDS = "orderIds";

    static final double SHARE = Settings.decimal("surge.actions.share", 0.1);
    static final double RESEND = Settings.decimal("surge.actions.resend", 0.1);
    static final double STALE = Settings.decimal("surge.actions.stale", 0.2);
    static final double ESCALATE = Settings.decimal("surge.actions.escalate", 0.5);
    static final int ATTEMPTS = Settings.integer("surge.actions.attempts", 4);

    private static final List<String> RETURN_REASONS = List.of("damaged", "defective", "wrong_item",
            "not_as_described", "no_longer_needed");
    private static final String KIND = "actionKind";
    private static final String ORDER = "actionOrder";
    private static final String PATH = "actionPath";
    private static final String BODY = "actionBody";
    private static final String KEY = "actionKey";
    private static final String TRIES = "actionTries";
    private static final String ANSWER = "actionAnswer";
    private static final String FIRST_FINAL = "actionFirstAnswer";
    private static final String BODY_SEEN = "actionBodySeen";
    private static final String TYPE = "actionType";
    private static final String RMA = "actionRma";
    private static final String OFFER = "escalationOffer";
    private static final String OFFER_KEY = "offerKey";
    private static final String OFFER_ID = "offerId";
    private static final String OFFER_TRIES = "offerTries";

    private SelfServiceActions() {
    }

    /**
     * With probability {@code share}, when the app listed orders: {@link #act(double)}, with this share of apps
     * trying a return an order does not allow ({@code -Dsurge.actions.stale} by default).
     */
    static ChainBuilder sometimes(double share, double stale) {
        return exec(session -> session.set("actNow", ThreadLocalRandom.current().nextDouble() < share
                && session.contains(ORDER_IDS) && !session.getList(ORDER_IDS).isEmpty()))
                .doIf(session -> session.getBoolean("actNow")).then(act(stale));
    }

    /**
     * Reads one listed order's actions and acts on what it allows; when it allows nothing, a share {@code stale} of
     * apps tries a return anyway. Needs the token and {@link #ORDER_IDS}.
     */
    static ChainBuilder act(double stale) {
        return exec(session -> {
            // One of the two newest: what people act on (in the demo data the newest is often not shipped yet, the
            // one before it often delivered within the return window; older ones are mostly past it).
            List<Object> ids = session.getList(ORDER_IDS);
            int pick = ThreadLocalRandom.current().nextInt(Math.min(2, ids.size()));
            return session.set(ORDER, ids.get(pick).toString())
                    .remove("canReturn").remove("returnSku").remove("anySku").remove("canCancel");
        })
                .exec(Requests.customerGet("actions: read", "/api/v1/me/orders/#{" + ORDER + "}/actions")
                        .check(Requests.recorded(200, 304, 429, 503))
                        .check(jmesPath("returns.allowed").ofBoolean().optional().saveAs("canReturn"),
                                jmesPath("returns.lines[?returnable > `0`].sku | [0]").optional()
                                        .saveAs("returnSku"),
                                jmesPath("returns.lines[0].sku").optional().saveAs("anySku"),
                                jmesPath("cancellation.allowed").ofBoolean().optional().saveAs("canCancel")))
                .exec(Outcomes::record)
                .exec(session -> choose(session, stale))
                .doIf(session -> session.contains(KIND)).then(write());
    }

    /** Return when a line is returnable, else cancel when allowed, else (stale screen, sometimes) return anyway. */
    private static Session choose(Session session, double stale) {
        String order = session.getString(ORDER);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Session cleared = session.remove(KIND);
        if (session.contains("canReturn") && session.getBoolean("canReturn") && session.contains("returnSku")) {
            return returning(cleared, order, session.getString("returnSku"));
        }
        if (session.contains("canCancel") && session.getBoolean("canCancel")) {
            // No body: the whole order, what the cancel button of an app does.
            return cleared.set(KIND, "cancel").set(PATH, "/api/v1/me/orders/" + order + "/cancellation")
                    .set(BODY, "");
        }
        if (session.contains("anySku") && random.nextDouble() < stale) {
            return returning(cleared, order, session.getString("anySku"));
        }
        return cleared;
    }

    private static Session returning(Session session, String order, String sku) {
        String reason = RETURN_REASONS.get(ThreadLocalRandom.current().nextInt(RETURN_REASONS.size()));
        return session.set(KIND, "return").set(PATH, "/api/v1/me/orders/" + order + "/returns")
                .set(BODY, "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}],\"reason\":\"" + reason
                        + "\",\"comment\":\"load test\"}");
    }

    /** The write with its key until a final answer (bounded), the occasional re-send, the escalation offer. */
    private static ChainBuilder write() {
        return exec(session -> {
            String key = UUID.randomUUID().toString();
            WriteLedger.run().sent(key, session.getString(Tokens.TOKEN), session.getString(KIND),
                    session.getString(ORDER), session.getString(PATH), session.getString(BODY));
            return session.set(KEY, key).set(TRIES, 0).set(ANSWER, WriteLedger.Answer.NOT_TRIED.name());
        })
                .asLongAs(session -> !answer(session).isFinal() && session.getInt(TRIES) < ATTEMPTS).on(
                        exec(send("action: #{" + KIND + "}"))
                                .exec(session -> session.set(TRIES, session.getInt(TRIES) + 1))
                                .doIf(session -> !answer(session).isFinal()).then(pause(Duration.ofSeconds(1))))
                .exec(session -> session.set(FIRST_FINAL, session.getString(ANSWER)))
                // One app in ten lost the final answer to its own timeout and asks again with the same key.
                .doIf(session -> answer(session).isFinal() && ThreadLocalRandom.current().nextDouble() < RESEND)
                .then(pause(Duration.ofMillis(500))
                        .exec(session -> {
                            WriteLedger.run().resent();
                            return session;
                        })
                        .exec(send("action: #{" + KIND + "} again (same key)")))
                .doIf(session -> WriteLedger.Answer.REFUSED.name().equals(session.getString(FIRST_FINAL))
                        && session.contains(OFFER)
                        && ThreadLocalRandom.current().nextDouble() < ESCALATE)
                .then(escalateFromOffer())
                .exec(session -> session.remove(KIND).remove(OFFER).remove(KEY).remove(ANSWER).remove(FIRST_FINAL));
    }

    private static WriteLedger.Answer answer(Session session) {
        return WriteLedger.Answer.valueOf(session.getString(ANSWER));
    }

    /** One attempt of the session's write: answered into the ledger and {@link Outcomes}. */
    private static ChainBuilder send(String name) {
        return exec(request(name, "#{" + Tokens.TOKEN + "}", "#{" + KEY + "}", "#{" + PATH + "}", "#{" + BODY + "}")
                .check(Requests.recorded(200, 201, 409, 422, 429, 503))
                .check(bodyString().saveAs(BODY_SEEN), jmesPath("type").optional().saveAs(TYPE),
                        jmesPath("rma").optional().saveAs(RMA), jmesPath("escalation.body").optional().saveAs(OFFER)))
                .exec(session -> {
                    int status = session.contains(Outcomes.STATUS) ? session.getInt(Outcomes.STATUS) : -1;
                    WriteLedger.Answer answer = WriteLedger.run().answered(session.getString(KEY), status,
                            session.getString(TYPE), session.getString(BODY_SEEN), session.getString(RMA));
                    return session.set(ANSWER, answer.name()).remove(TYPE).remove(BODY_SEEN).remove(RMA);
                })
                .exec(Outcomes::recordAction);
    }

    /** The write request, its parts as Gatling expressions (the verification sends it again from the ledger). */
    static HttpRequestActionBuilder request(String name, String token, String key, String path, String body) {
        return http(name).post(path)
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key)
                .header("Surge-Channel", "mobile")
                .header("Content-Type", "application/json")
                .body(StringBody(body));
    }

    /** "Talk to a person", as the refusal offered it: its body sent as it is, with a key of its own. */
    private static ChainBuilder escalateFromOffer() {
        return exec(session -> session.set(OFFER_KEY, UUID.randomUUID().toString()).set(OFFER_TRIES, 0)
                .remove(OFFER_ID))
                .asLongAs(session -> !session.contains(OFFER_ID) && session.getInt(OFFER_TRIES) < 3).on(
                        exec(http("escalation: from a refused action").post("/api/v1/escalations")
                                .header("Authorization", "Bearer #{" + Tokens.TOKEN + "}")
                                .header("Idempotency-Key", "#{" + OFFER_KEY + "}")
                                .body(StringBody("#{" + OFFER + "}")).asJson()
                                .check(Requests.recorded(202, 429, 503))
                                .checkIf((response, session) -> response.status().code() == 202)
                                .then(jmesPath("id").saveAs(OFFER_ID)))
                                .exec(Outcomes::record)
                                .exec(session -> session.set(OFFER_TRIES, session.getInt(OFFER_TRIES) + 1))
                                .doIf(session -> !session.contains(OFFER_ID)).then(pause(Duration.ofSeconds(1))))
                .doIf(session -> session.contains(OFFER_ID)).then(exec(session -> {
                    EscalationLedger.run().created(session.getString(OFFER_KEY), session.getString(OFFER_ID),
                            session.getString(Tokens.TOKEN));
                    WriteLedger.run().escalated();
                    return session.remove(OFFER_ID);
                }));
    }

    /**
     * After the load: every write again from the ledger. One still without a final answer is sent again with its
     * key (a second apart, ten times at most) as its app would; one made is read back: a return by its RMA, a
     * cancellation by its order's status.
     */
    static ChainBuilder verifyWrites() {
        return exec(session -> session.set("more", true))
                .asLongAs(session -> session.getBoolean("more")).on(
                        exec(session -> {
                            WriteLedger.Write next = WriteLedger.run().nextToVerify();
                            return next == null ? session.set("more", false)
                                    : session.set("verifying", next).set(KEY, next.key).set(Tokens.TOKEN, next.token)
                                            .set(PATH, next.path).set(BODY, next.body).set(TRIES, 0)
                                            .set(ORDER, next.orderId);
                        })
                                .doIf(session -> session.getBoolean("more")).then(verifyOne()))
                .exec(session -> session.remove("verifying"));
    }

    private static ChainBuilder verifyOne() {
        return asLongAsUnresolved(
                exec(send("writes: send again (same key)"))
                        .exec(session -> session.set(TRIES, session.getInt(TRIES) + 1))
                        .doIf(session -> written(session).finalAnswer == null).then(pause(Duration.ofSeconds(1))))
                .doIf(session -> written(session).finalAnswer == WriteLedger.Answer.DONE).then(
                        exec(session -> session.set("readTries", 0).remove("seen"))
                                .asLongAs(session -> !session.contains("seen") && session.getInt("readTries") < 10)
                                .on(readBack()));
    }

    private static ChainBuilder asLongAsUnresolved(ChainBuilder chain) {
        return exec(session -> session)
                .asLongAs(session -> written(session).finalAnswer == null && session.getInt(TRIES) < 10).on(chain);
    }

    private static WriteLedger.Write written(Session session) {
        return (WriteLedger.Write) session.get("verifying");
    }

    /** A made return by its RMA (200), a made cancellation by its order ({@code cancelled}); 429/503 retried. */
    private static ChainBuilder readBack() {
        return exec(session -> {
            WriteLedger.Write write = written(session);
            return session.set("readPath", write.kind.equals("return") ? "/api/v1/me/returns/" + write.rma
                    : "/api/v1/me/orders/" + write.orderId);
        })
                .exec(Requests.customerGet("writes: read back", "#{readPath}")
                        .check(status().saveAs("readStatus"), status().in(200, 404, 429, 503))
                        .check(jmesPath("status").optional().saveAs("readOrderStatus")))
                .exec(session -> {
                    int code = session.contains("readStatus") ? session.getInt("readStatus") : -1;
                    int tries = session.getInt("readTries") + 1;
                    Session next = session.set("readTries", tries).remove("readStatus");
                    if ((code == 429 || code == 503 || code == -1) && tries < 10) {
                        return next;
                    }
                    WriteLedger.Write write = written(session);
                    String seen = code != 200 ? "http-" + code
                            : write.kind.equals("return") || "cancelled".equals(session.getString("readOrderStatus"))
                                    ? "found" : "order " + session.getString("readOrderStatus");
                    WriteLedger.run().readBack(write, seen);
                    return next.set("seen", seen).remove("readOrderStatus").markAsSucceeded();
                })
                .doIf(session -> !session.contains("seen")).then(pause(Duration.ofSeconds(1)));
    }

    /** The simulator's write counts once every write was verified (demo profile; 404 elsewhere: unknown). */
    static ChainBuilder backOfficeStats() {
        return exec(http("writes: back-office stats").get("/demo/backoffice/stats")
                .check(status().in(200, 404), bodyString().saveAs("stats")))
                .exec(session -> {
                    WriteLedger.run().backOfficeAfter(session.contains("stats") ? session.getString("stats") : "");
                    return session;
                });
    }
}
