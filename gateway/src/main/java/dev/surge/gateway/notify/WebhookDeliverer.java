package dev.surge.gateway.notify;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Delivers notification events to the webhook, at least once. Events are read from the stream through a consumer
 * group and acknowledged only after the receiver answered 2xx; each is retried with exponential backoff and jitter
 * ({@code Retry.backoff}), and one whose attempts ran out, or whose instance died mid-delivery, stays pending and is
 * taken again (XAUTOCLAIM) after {@code redeliver-after}, by any instance. Receivers deduplicate by
 * {@code X-Surge-Event-Id}.
 *
 * <p>Each POST carries {@code X-Surge-Timestamp} (epoch seconds) and {@code X-Surge-Signature: sha256=<hex>}, the
 * HMAC-SHA256 of {@code <timestamp>.<body>} with the shared secret, so a receiver can check origin and freshness.
 */
final class WebhookDeliverer {

    static final String EVENT_ID = "X-Surge-Event-Id";
    static final String TIMESTAMP = "X-Surge-Timestamp";
    static final String SIGNATURE = "X-Surge-Signature";
    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
    private static final int BATCH = 16;

    private final NotificationStream stream;
    private final WebClient http;
    private final URI url;
    private final SecretKeySpec key;
    private final NotifyProperties.Webhook properties;
    private final NotifyMetrics metrics;
    private final Clock clock;
    private final String consumer = UUID.randomUUID().toString();

    WebhookDeliverer(NotificationStream stream, WebClient http, NotifyProperties.Webhook properties,
                     NotifyMetrics metrics, Clock clock) {
        this.stream = stream;
        this.http = http;
        this.url = java.util.Objects.requireNonNull(properties.getUrl(), "surge.notify.webhook.url");
        this.key = new SecretKeySpec(java.util.Objects.requireNonNull(properties.getSecret(),
                "surge.notify.webhook.secret").getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Takes a batch of events (stuck ones first) and delivers them; answers how many were delivered. */
    Mono<Long> poll() {
        return stream.fetch(consumer, BATCH, properties.getRedeliverAfter().toMillis())
                .flatMapMany(values -> {
                    List<String[]> events = new ArrayList<>();
                    for (int i = 0; i + 1 < values.size(); i += 2) {
                        events.add(new String[] {values.get(i), values.get(i + 1)});
                    }
                    return Flux.fromIterable(events);
                })
                .flatMap(event -> deliver(event[0], event[1]), BATCH)
                .filter(Boolean::booleanValue)
                .count();
    }

    /** True once delivered and acknowledged; false when it stays pending for a later redelivery. */
    Mono<Boolean> deliver(String entryId, String event) {
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        return Mono.defer(() -> post(entryId, body))
                .doOnError(e -> metrics.attempt("error"))
                .doOnSuccess(ok -> metrics.attempt("ok"))
                .retryWhen(Retry.backoff(properties.getMaxAttempts() - 1L, properties.getMinBackoff())
                        .maxBackoff(properties.getMaxBackoff())
                        .jitter(0.5)
                        .filter(WebhookDeliverer::retryable))
                .then(acknowledge(entryId, "delivered"))
                .onErrorResume(e -> {
                    if (!Exceptions.isRetryExhausted(e) && !retryable(e)) {
                        log.warn("webhook rejected notification {}: {}", entryId, e.toString());
                        return acknowledge(entryId, "rejected").thenReturn(false);
                    }
                    metrics.delivery("failed");
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    log.warn("webhook delivery of {} failed, will redeliver: {}", entryId, cause.toString());
                    return Mono.just(false);
                });
    }

    private Mono<Void> post(String entryId, byte[] body) {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        return http.post().uri(url)
                .contentType(MediaType.APPLICATION_JSON)
                .header(EVENT_ID, entryId)
                .header(TIMESTAMP, timestamp)
                .header(SIGNATURE, "sha256=" + sign(timestamp, body))
                .bodyValue(body)
                .retrieve()
                .toBodilessEntity()
                .timeout(properties.getTimeout())
                .then();
    }

    private Mono<Boolean> acknowledge(String entryId, String outcome) {
        return stream.acknowledge(entryId)
                .doOnNext(acked -> metrics.delivery(outcome))
                .thenReturn(true);
    }

    /** The signature a receiver recomputes: HMAC-SHA256 of {@code <timestamp>.<body>}, hex. */
    String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** Server errors, throttling, timeouts and I/O errors may pass; any other 4xx will not. */
    static boolean retryable(Throwable e) {
        if (e instanceof WebClientResponseException response) {
            int status = response.getStatusCode().value();
            return status >= 500 || status == 408 || status == 429;
        }
        return e instanceof TimeoutException || e instanceof IOException
                || e instanceof org.springframework.web.reactive.function.client.WebClientRequestException;
    }
}
