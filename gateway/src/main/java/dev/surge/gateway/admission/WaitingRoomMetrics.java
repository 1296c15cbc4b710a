package dev.surge.gateway.admission;

import java.time.Duration;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The waiting room's meters: {@code surge.waitingroom.depth} (places issued and not yet admitted),
 * {@code surge.waitingroom.tickets{outcome}} (issued, admitted, used, expired, refused),
 * {@code surge.waitingroom.wait} (from a ticket's issue to its admission), {@code surge.waitingroom.admission.rate}
 * and {@code surge.waitingroom.redis.fallbacks{operation}}.
 */
final class WaitingRoomMetrics {

    static final String TICKETS = "surge.waitingroom.tickets";
    static final String FALLBACKS = "surge.waitingroom.redis.fallbacks";
    static final String WAIT = "surge.waitingroom.wait";

    private final Counter issued;
    private final Counter admitted;
    private final Counter used;
    private final Counter expired;
    private final Counter refused;
    private final Counter issueFallbacks;
    private final Counter tickFallbacks;
    private final Timer wait;

    WaitingRoomMetrics(MeterRegistry registry, Supplier<QueueState> state, Supplier<Double> rate) {
        // issued: new places handed out here; admitted: places this instance's ticks moved the pointer past; used:
        // admitted tickets that came back and were let in; expired: tickets shown after their admission window or
        // lifetime (used and expired once per ticket and instance); refused: shed customers who got no place because
        // the queue was full.
        issued = tickets(registry, "issued");
        admitted = tickets(registry, "admitted");
        used = tickets(registry, "used");
        expired = tickets(registry, "expired");
        refused = tickets(registry, "refused");
        issueFallbacks = fallbacks(registry, "issue");
        tickFallbacks = fallbacks(registry, "tick");
        wait = Timer.builder(WAIT).description("From a ticket's issue to its admission, for tickets that came back")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("surge.waitingroom.depth", () -> state.get().depth())
                .description("Places issued and not yet admitted, across instances").register(registry);
        Gauge.builder("surge.waitingroom.admission.rate", rate::get)
                .description("Places admitted per second, measured over the rate window").register(registry);
    }

    private static Counter tickets(MeterRegistry registry, String outcome) {
        return Counter.builder(TICKETS).description("Waiting-room tickets: issued, admitted, used, expired, refused")
                .tag("outcome", outcome).register(registry);
    }

    private static Counter fallbacks(MeterRegistry registry, String operation) {
        return Counter.builder(FALLBACKS)
                .description("Redis calls of the waiting room that failed or timed out; the plain 503 meanwhile")
                .tag("operation", operation).register(registry);
    }

    void refused() {
        refused.increment();
    }

    void issued() {
        issued.increment();
    }

    void admitted(long places) {
        admitted.increment(places);
    }

    void used(Duration waited) {
        used.increment();
        wait.record(waited);
    }

    void expired() {
        expired.increment();
    }

    void issueFallback() {
        issueFallbacks.increment();
    }

    void tickFallback() {
        tickFallbacks.increment();
    }
}
