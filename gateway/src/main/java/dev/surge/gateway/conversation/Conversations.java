package dev.surge.gateway.conversation;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.core.TaggedCounters;
import dev.surge.gateway.queue.CustomerQueue;
import dev.surge.gateway.queue.Escalation;

/**
 * What both sides do with a conversation: read it, send to it, follow it. Who may is decided from the escalation's
 * record: its customer side (anyone else gets 404, as for the escalation itself) and the agent holding it (another
 * agent gets 403). Redis is the only place a conversation lives, so it fails closed: 503 when Redis cannot answer a
 * read or a send; a follower whose read fails tries again at the next notice or poll (counted).
 */
class Conversations {

    private static final Logger log = LoggerFactory.getLogger(Conversations.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ENTRY_ID = Pattern.compile("[0-9]{1,19}-[0-9]{1,19}");
    /** Entries read per round trip while catching up. */
    private static final int BATCH = 100;
    static final String START = "0-0";

    private final ConversationRepository repository;
    private final CustomerQueue queue;
    private final ConversationProperties properties;
    private final TaggedCounters counters;
    private final Clock clock;

    Conversations(ConversationRepository repository, CustomerQueue queue, ConversationProperties properties,
                  TaggedCounters counters, Clock clock) {
        this.repository = repository;
        this.queue = queue;
        this.properties = properties;
        this.counters = counters;
        this.clock = clock;
    }

    /** The entries after {@code after} (all when null), oldest first, up to the number kept. */
    Mono<List<Entry>> read(String id, Participant reader, @Nullable String after) {
        String from = entryId(after);
        return readable(id, reader).then(repository.after(id, from, properties.maxEntries())
                .onErrorMap(e -> !(e instanceof SurgeException), e -> unavailable()));
    }

    /** Sends a message: 201 with its entry, or the problem that says why not. */
    Mono<Entry> send(String id, Participant sender, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return Mono.error(SurgeException.badRequest("The message needs a text field with some text."));
        }
        if (text.length() > properties.maxLength()) {
            return Mono.error(SurgeException.badRequest(
                    "A message is at most " + properties.maxLength() + " characters."));
        }
        if (!ID.matcher(id).matches()) {
            return Mono.error(SurgeException.notFound("Escalation"));
        }
        long now = clock.millis();
        return repository.send(id, sender, text, now)
                .onErrorMap(e -> !(e instanceof SurgeException), e -> unavailable())
                .map(outcome -> switch (outcome.code()) {
                    case "ok" -> {
                        counters.get("surge.conversation.messages", "from", sender.role()).increment();
                        yield new Entry(outcome.values().get(0), sender.role(), null, null, text,
                                java.time.Instant.ofEpochMilli(now));
                    }
                    case "not-holder" -> throw notHolder();
                    case "finished" -> throw new SurgeException(HttpStatus.CONFLICT, "escalation-resolved",
                            "Conflict", "This escalation is over: its conversation is closed.");
                    case "rate" -> {
                        counters.get("surge.conversation.refused", "reason", "rate").increment();
                        throw tooFast(Long.parseLong(outcome.values().get(0)));
                    }
                    default -> throw SurgeException.notFound("Escalation");
                });
    }

    /**
     * The entries after {@code lastEventId} (all when null), then every new one, in order, at least once; ends after
     * the escalation's resolve or abandon, and for an agent once they no longer hold it.
     */
    Flux<Entry> follow(String id, Participant reader, @Nullable String lastEventId) {
        AtomicReference<String> last = new AtomicReference<>(entryId(lastEventId));
        return readable(id, reader).flatMapMany(escalation -> {
            // Listening starts before the first read, so no entry can fall between the two; the poll covers a notice
            // lost while the channel resubscribed. The first read waits for the escalation's state to be told, so a
            // follower that joins late still reads "joined" before the messages that followed it.
            Flux<Object> triggers = Flux.<Object>merge(
                    repository.appended().filter(id::equals),
                    Flux.interval(properties.poll()),
                    repository.tell(id, clock.millis()).onErrorResume(e -> Mono.empty()).then(Mono.just("now")))
                    .onBackpressureLatest();
            Flux<Entry> entries = triggers.concatMap(trigger -> readAfter(id, last), 1);
            if (!reader.isAgent()) {
                return entries.takeUntil(Entry::isFinal);
            }
            // An agent's stream also ends once they no longer hold it, after the entry that tells why (a transfer
            // or a return to the queue); an earlier agent's transfer, read while catching up, does not end it.
            return entries.concatMap(entry -> Entry.SYSTEM.equals(entry.from()) && !"joined".equals(entry.event())
                            ? queue.find(id, clock.millis()).map(now -> new Step(entry, !reader.mayRead(now)))
                                    .onErrorResume(e -> Mono.empty())
                                    .defaultIfEmpty(new Step(entry, true))
                            : Mono.just(new Step(entry, false)))
                    .takeUntil(step -> step.last() || step.entry().isFinal())
                    .map(Step::entry);
        });
    }

    /** An entry of a follower's stream, and whether it is the last one they get. */
    private record Step(Entry entry, boolean last) {
    }

    /** Every entry after the last one sent, in batches, moving {@code last} on as they go. */
    private Flux<Entry> readAfter(String id, AtomicReference<String> last) {
        return Mono.defer(() -> repository.after(id, last.get(), BATCH))
                .expand(batch -> batch.size() == BATCH
                        ? repository.after(id, batch.get(BATCH - 1).id(), BATCH) : Mono.empty())
                .flatMapIterable(batch -> batch)
                .doOnNext(entry -> last.set(entry.id()))
                .onErrorResume(e -> {
                    counters.get("surge.conversation.redis.fallbacks", "operation", "follow").increment();
                    log.debug("conversation read failed, next notice or poll reads again: {}", e.toString());
                    return Mono.empty();
                });
    }

    /** The escalation, if the participant may read its conversation: else 404 (or 403 for an agent). */
    private Mono<Escalation> readable(String id, Participant reader) {
        if (!ID.matcher(id).matches()) {
            return Mono.error(SurgeException.notFound("Escalation"));
        }
        return queue.find(id, clock.millis())
                .onErrorMap(e -> !(e instanceof SurgeException), e -> unavailable())
                .switchIfEmpty(Mono.defer(() -> Mono.error(SurgeException.notFound("Escalation"))))
                .flatMap(escalation -> {
                    if (reader.mayRead(escalation)) {
                        return Mono.just(escalation);
                    }
                    return Mono.error(reader.isAgent() ? notHolder() : SurgeException.notFound("Escalation"));
                });
    }

    /** A Last-Event-ID or {@code after}: a stream entry id, or 400. */
    private static String entryId(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return START;
        }
        if (!ENTRY_ID.matcher(value).matches()) {
            throw SurgeException.badRequest("Last-Event-ID (or after) must be an event id this API sent.");
        }
        return value;
    }

    private static SurgeException notHolder() {
        return new SurgeException(HttpStatus.FORBIDDEN, "not-holder", "Forbidden",
                "Only the agent holding this escalation may take part in its conversation.");
    }

    private static SurgeException tooFast(long millis) {
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-messages",
                "Too Many Requests", "Too many messages in a short time. Please wait a moment.");
        return new SurgeException(problem, SurgeException.retryAfter(Duration.ofMillis(Math.max(millis, 1))), null);
    }

    private static SurgeException unavailable() {
        return new SurgeException(HttpStatus.SERVICE_UNAVAILABLE, "conversation-unavailable", "Service Unavailable",
                "The conversation cannot be reached right now. Please try again shortly.");
    }
}
