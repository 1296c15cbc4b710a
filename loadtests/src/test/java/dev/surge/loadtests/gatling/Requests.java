package dev.surge.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.time.Duration;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * Requests as the suite sends them: every one saves its status and time for {@link Outcomes}, accepts the
 * deliberate answers of a protected gateway (429 rate-limited, 503 shed) as answers rather than failures, and a shed
 * customer read follows the waiting room.
 *
 * <p>The waiting room (issue 5): a shed customer gets a 503 whose {@code Surge-Waiting-Room-Ticket} header (also
 * {@code ticket} in the body) is a ticket; the app polls {@code GET /api/v1/waiting-room/{ticket}} every
 * {@code refreshSeconds} until {@code admitted}, then repeats its request with the ticket in the same header and is
 * let in ahead of new arrivals. A plain 503 (anonymous callers, or a gateway without the waiting room) has no
 * ticket: the app just tries again on its next refresh.
 */
final class Requests {

    /** The ticket header of the waiting-room contract, on the 503 and on the admitted retry. */
    static final String TICKET_HEADER = "Surge-Waiting-Room-Ticket";
    /**
     * How long an app waits in the waiting room before its customer gives up (bounded like everything in a load test;
     * the refresh the gateway asks for grows with the wait, so a count of polls would not bound it).
     */
    static final long PATIENCE_MILLIS = Settings.duration("surge.waitingRoom.patience", "3m").toMillis();

    private static final String TICKET = "waitingRoomTicket";
    private static final String ADMITTED = "waitingRoomAdmitted";
    private static final String REFRESH = "waitingRoomRefresh";
    private static final String SINCE = "waitingRoomSince";
    private static final String OVER = "waitingRoomOver";

    private Requests() {
    }

    /** The checks every load request starts with: its status and time are kept for {@link Outcomes}. */
    static CheckBuilder[] recorded(Integer... expected) {
        return new CheckBuilder[] {status().saveAs(Outcomes.STATUS),
                responseTimeInMillis().saveAs(Outcomes.RESPONSE_TIME),
                header("Cache-Status").optional().saveAs(Outcomes.CACHE_STATUS), status().in(expected)};
    }

    /** A customer GET with the token, its outcome recorded; a shed answer with a ticket follows the waiting room. */
    static ChainBuilder customerRead(String name, String path) {
        return exec(customerGet(name, path).check(recorded(200, 304, 429, 503))
                        .check(header(TICKET_HEADER).optional().saveAs(TICKET))
                        .checkIf((response, session) -> response.status().code() == 503)
                        .then(jmesPath("refreshSeconds").ofInt().optional().saveAs(REFRESH)))
                .exec(Outcomes::record)
                .doIf(session -> session.contains(TICKET)).then(waitingRoom(name, path));
    }

    static HttpRequestActionBuilder customerGet(String name, String path) {
        return http(name).get(path).header("Authorization", "Bearer #{" + Tokens.TOKEN + "}");
    }

    private static ChainBuilder waitingRoom(String name, String path) {
        // The first poll waits the 503's refreshSeconds (1 s when it had none).
        return exec(session -> session.set(ADMITTED, false).set(OVER, false).set(SINCE, System.currentTimeMillis())
                        .set(REFRESH, session.contains(REFRESH) ? session.getInt(REFRESH) : 1))
                .asLongAs(session -> !session.getBoolean(ADMITTED) && !session.getBoolean(OVER)).on(
                        pause(session -> Duration.ofSeconds(Math.max(1, session.getInt(REFRESH))))
                                .exec(customerGet("waiting room: poll", "/api/v1/waiting-room/#{" + TICKET + "}")
                                        .check(recorded(200))
                                        .check(jmesPath("admitted").ofBoolean().saveAs(ADMITTED),
                                                jmesPath("refreshSeconds").ofInt().saveAs(REFRESH)))
                                // A ticket the gateway no longer knows (404) or refuses (400) ends the wait, and so
                                // does the customer's patience.
                                .exec(session -> session.set(OVER, !(session.contains(Outcomes.STATUS)
                                        && session.getInt(Outcomes.STATUS) == 200)
                                        || System.currentTimeMillis() - session.getLong(SINCE) >= PATIENCE_MILLIS))
                                .exec(Outcomes::recordPoll))
                .doIf(session -> session.getBoolean(ADMITTED)).then(
                        exec(customerGet(name + " (admitted from the waiting room)", path)
                                .header(TICKET_HEADER, "#{" + TICKET + "}")
                                .check(recorded(200, 304, 429, 503)))
                                .exec(Outcomes::record))
                .exec(session -> session.remove(TICKET).remove(ADMITTED).remove(OVER).remove(SINCE).remove(REFRESH));
    }

}
