package dev.surge.gateway.contact;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.LogThrottle;
import dev.surge.gateway.core.SurgeException;

/**
 * {@code GET /api/v1/ops/summary?window=15m|1h|24h} (role ops): the fleet-wide contact figures of the window, ending
 * now, and the queues as they are. Computed from Redis on each call; Redis away is a 503.
 */
@RestController
@ConditionalOnBooleanProperty(name = "surge.contact.enabled", matchIfMissing = true)
class ContactController {

    private static final Logger log = LoggerFactory.getLogger(ContactController.class);

    private final ContactReader reader;
    /** One line a minute while Redis fails every summary. */
    private final LogThrottle throttle;
    private final Map<String, Duration> windows = new LinkedHashMap<>();
    private final String defaultWindow;

    ContactController(ContactReader reader, ContactProperties properties, Clock clock) {
        this.reader = reader;
        this.throttle = new LogThrottle(clock, Duration.ofMinutes(1));
        properties.windows().forEach(window -> windows.put(ContactProperties.name(window), window));
        this.defaultWindow = ContactProperties.name(properties.windows().get(0));
    }

    @GetMapping("/api/v1/ops/summary")
    Mono<ContactSummary> summary(@RequestParam(required = false) @Nullable String window) {
        String name = window == null || window.isEmpty() ? defaultWindow : window;
        Duration duration = windows.get(name);
        if (duration == null) {
            return Mono.error(SurgeException.badRequest("window must be one of " + String.join(", ", windows.keySet())
                    + "."));
        }
        return reader.summary(duration, true)
                .onErrorMap(e -> !(e instanceof SurgeException), e -> {
                    long held = throttle.admit("summary");
                    if (held >= 0) {
                        log.warn("ops summary failed ({} more held back): {}", held, e.toString());
                    }
                    return new SurgeException(HttpStatus.SERVICE_UNAVAILABLE, "metrics-unavailable",
                            "Service Unavailable", "The figures cannot be read right now. Please try again shortly.");
                });
    }
}
