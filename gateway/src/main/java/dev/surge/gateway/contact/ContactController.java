package dev.surge.gateway.contact;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.SurgeException;

/**
 * {@code GET /api/v1/ops/summary?window=15m|1h|24h} (role ops): the fleet-wide contact figures of the window, ending
 * now, and the queues as they are. Computed from Redis on each call; Redis away is a 503.
 */
@RestController
@ConditionalOnBooleanProperty(name = "surge.contact.enabled", matchIfMissing = true)
class ContactController {

    private final ContactReader reader;
    private final Map<String, Duration> windows = new LinkedHashMap<>();
    private final String defaultWindow;

    ContactController(ContactReader reader, ContactProperties properties) {
        this.reader = reader;
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
                .onErrorMap(e -> !(e instanceof SurgeException), e -> new SurgeException(
                        HttpStatus.SERVICE_UNAVAILABLE, "metrics-unavailable", "Service Unavailable",
                        "The figures cannot be read right now. Please try again shortly."));
    }
}
