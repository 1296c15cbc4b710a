package dev.surge.gateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.core.TaggedCounters;
import dev.surge.gateway.queue.Escalation;
import dev.surge.gateway.queue.RedisQueues;
import dev.surge.gateway.queue.Skill;
import dev.surge.gateway.redis.EmbeddedRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The conversation's rules without an application: the real scripts on a real Redis (one embedded server for the
 * class, emptied before each test) and the real queue deciding who holds an escalation. Bounds on a message's size
 * and a sender's rate, the order of entries, who may read and send, and resuming after {@code Last-Event-ID}. What
 * the application's teller does on every queue change (tell the conversation the escalation's new state) the tests
 * do by hand right after the change.
 */
class ConversationsTests {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int MAX_LENGTH = 50;
    private static final int RATE_LIMIT = 5;
    /** Short, so a follower reads new entries quickly without a pub/sub notice (no listener runs here). */
    private static final Duration POLL = Duration.ofMillis(100);

    private static final EmbeddedRedis SERVER = new EmbeddedRedis(0, 64L * 1024 * 1024);
    private static LettuceConnectionFactory factory;
    private static ReactiveStringRedisTemplate redis;

    private final Clock clock = Clock.systemUTC();
    private final Participant customer = new Participant(Participant.CUSTOMER, "customerId", "c1");
    private final Participant otherCustomer = new Participant(Participant.CUSTOMER, "customerId", "c2");
    private final Participant robin = new Participant(Participant.AGENT, "agentId", "a-robin");
    private final Participant sam = new Participant(Participant.AGENT, "agentId", "a-sam");
    private RedisQueues queues;
    private ReactiveRedisMessageListenerContainer container;
    private ConversationRepository repository;
    private Conversations conversations;

    @BeforeAll
    static void startRedis() {
        SERVER.start();
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", SERVER.port()));
        factory.afterPropertiesSet();
        factory.start();
        redis = new ReactiveStringRedisTemplate(factory);
    }

    @AfterAll
    static void stopRedis() {
        factory.destroy();
        SERVER.stop();
    }

    @BeforeEach
    void emptyRedis() {
        factory.getConnection().serverCommands().flushAll();
        queues = new RedisQueues(redis, factory, clock);
        container = new ReactiveRedisMessageListenerContainer(factory);
        conversations = conversations(new ConversationProperties(MAX_LENGTH, 1000, RATE_LIMIT, Duration.ofSeconds(10),
                POLL, Duration.ofSeconds(15)));
    }

    @AfterEach
    void close() {
        queues.close();
        container.destroy();
    }

    private Conversations conversations(ConversationProperties properties) {
        repository = new ConversationRepository(redis, container, properties, Duration.ofDays(30), Duration.ofSeconds(2));
        return new Conversations(repository, queues.customers(), properties,
                new TaggedCounters(new SimpleMeterRegistry()), clock);
    }

    /** A waiting escalation of customer c1 in the general queue. */
    private String escalation() {
        String id = UUID.randomUUID().toString();
        queues.enqueue(id, "c1", Skill.GENERAL, clock.millis());
        return id;
    }

    /** The agent claims the next general escalation (it must be {@code id}) and, if {@code accept}, accepts it. */
    private void take(String id, Participant agent, boolean accept) {
        take(id, agent, Skill.GENERAL, accept);
    }

    private void take(String id, Participant agent, Skill skill, boolean accept) {
        Escalation offered = queues.agents().claimNext(agent.value(), "Agent " + agent.value(),
                List.of(skill), Duration.ofSeconds(30)).block(WAIT);
        assertThat(offered).isNotNull().extracting(Escalation::id).isEqualTo(id);
        if (accept) {
            queues.agents().accept(id, agent.value()).block(WAIT);
            told(id);
        }
    }

    /** What the teller does after each change of the escalation. */
    private void told(String id) {
        repository.tell(id, clock.millis()).block(WAIT);
    }

    private Entry send(String id, Participant sender, String text) {
        return conversations.send(id, sender, text).block(WAIT);
    }

    private List<Entry> read(String id, Participant reader) {
        return conversations.read(id, reader, null).block(WAIT);
    }

    private static SurgeException refused(Mono<?> call) {
        try {
            call.block(WAIT);
        } catch (SurgeException e) {
            return e;
        }
        throw new AssertionError("expected a problem, got an answer");
    }

    private static List<String> texts(List<Entry> entries) {
        return entries.stream().map(e -> e.text() != null ? e.from() + ": " + e.text() : "system: " + e.event())
                .toList();
    }

    @Test
    void aMessageIsSomeTextWithinTheLengthLimitStoredAsTyped() {
        String id = escalation();
        assertThat(refused(conversations.send(id, customer, null)).getStatusCode().value()).isEqualTo(400);
        assertThat(refused(conversations.send(id, customer, " \n ")).getStatusCode().value()).isEqualTo(400);
        SurgeException tooLong = refused(conversations.send(id, customer, "x".repeat(MAX_LENGTH + 1)));
        assertThat(tooLong.getStatusCode().value()).isEqualTo(400);
        assertThat(tooLong.getBody().getDetail()).contains("at most " + MAX_LENGTH + " characters");
        assertThat(read(id, customer)).isEmpty();

        String markup = "<b>bold?</b> & <script>x()</script>";
        send(id, customer, markup);
        send(id, customer, "y".repeat(MAX_LENGTH));
        assertThat(read(id, customer)).extracting(Entry::text).containsExactly(markup, "y".repeat(MAX_LENGTH));
    }

    @Test
    void eachSenderHasARateLimitPerConversationAndIsToldWhenToTryAgain() {
        String id = escalation();
        take(id, robin, true);
        for (int i = 1; i <= RATE_LIMIT; i++) {
            send(id, customer, "message " + i);
        }
        SurgeException tooFast = refused(conversations.send(id, customer, "one more"));
        assertThat(tooFast.getStatusCode().value()).isEqualTo(429);
        assertThat(tooFast.getBody().getType().toString()).endsWith("/too-many-messages");
        long retryAfter = Long.parseLong(tooFast.getHeaders().getFirst("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 10L);
        // The agent's window is their own; and the refused message was not stored.
        send(id, robin, "I am here.");
        assertThat(texts(read(id, customer))).doesNotContain("customer: one more")
                .endsWith("customer: message " + RATE_LIMIT, "agent: I am here.");
        // Another conversation of the same customer has a window of its own.
        String other = escalation();
        send(other, customer, "elsewhere");
    }

    @Test
    void entriesAreReadInTheOrderTheyWereMadeWithTheEscalationsEvents() {
        String id = escalation();
        send(id, customer, "Hello?");
        take(id, robin, true);
        send(id, robin, "Hi, Robin here.");
        send(id, customer, "My parcel is late.");
        send(id, robin, "Let me look.");
        List<Entry> entries = read(id, customer);
        assertThat(texts(entries)).containsExactly("customer: Hello?", "system: joined", "agent: Hi, Robin here.",
                "customer: My parcel is late.", "agent: Let me look.");
        assertThat(entries.get(1).name()).isEqualTo("Agent a-robin");
        assertThat(entries.get(2).name()).isEqualTo("Agent a-robin");
        // Entry ids are the order: each after the one before.
        assertThat(entries).extracting(Entry::id).isSortedAccordingTo(ConversationsTests::byStreamId);
        // "after" reads on from an entry.
        assertThat(texts(conversations.read(id, customer, entries.get(2).id()).block(WAIT)))
                .containsExactly("customer: My parcel is late.", "agent: Let me look.");
    }

    private static int byStreamId(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int time = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return time != 0 ? time : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

    @Test
    void onlyItsCustomerAndTheAgentHoldingItTakePart() {
        String id = escalation();
        send(id, customer, "Is anyone there?");

        // Another customer: as if it did not exist (404), for reading and sending alike; so are unknown ids.
        assertThat(refused(conversations.read(id, otherCustomer, null)).getStatusCode().value()).isEqualTo(404);
        assertThat(refused(conversations.send(id, otherCustomer, "hi")).getStatusCode().value()).isEqualTo(404);
        assertThat(refused(conversations.read(UUID.randomUUID().toString(), customer, null)).getStatusCode().value())
                .isEqualTo(404);
        assertThat(refused(conversations.send("not-an-id", customer, "hi")).getStatusCode().value()).isEqualTo(404);

        // An agent who does not hold it: 403. Offered to an agent: they read, but write only once they accept.
        assertThat(refused(conversations.read(id, robin, null)).getStatusCode().value()).isEqualTo(403);
        take(id, robin, false);
        assertThat(texts(read(id, robin))).containsExactly("customer: Is anyone there?");
        assertThat(refused(conversations.send(id, robin, "hi")).getStatusCode().value()).isEqualTo(403);
        queues.agents().accept(id, robin.value()).block(WAIT);
        send(id, robin, "Yes, Robin here.");
        assertThat(refused(conversations.read(id, sam, null)).getStatusCode().value()).isEqualTo(403);
        assertThat(refused(conversations.send(id, sam, "me too")).getStatusCode().value()).isEqualTo(403);

        // Once resolved, the conversation is closed to both sides (409), and still readable by its customer.
        queues.agents().resolve(id, robin.value(), "answered", null).block(WAIT);
        told(id);
        assertThat(refused(conversations.send(id, customer, "thanks")).getStatusCode().value()).isEqualTo(409);
        assertThat(refused(conversations.send(id, robin, "bye")).getStatusCode().value()).isEqualTo(409);
        assertThat(texts(read(id, customer))).endsWith("agent: Yes, Robin here.", "system: resolved");
    }

    @Test
    void aFollowerResumesAfterItsLastEventIdAndTheCustomersStreamEndsWithTheResolve() {
        String id = escalation();
        take(id, robin, true);
        send(id, customer, "one");
        send(id, robin, "two");
        List<Entry> before = read(id, customer); // joined, one, two
        String lastSeen = before.get(1).id(); // "one" was the last event the dropped stream delivered

        StepVerifier.create(conversations.follow(id, customer, lastSeen).map(e -> texts(List.of(e)).get(0)))
                .expectNext("agent: two")
                .then(() -> send(id, customer, "three"))
                .expectNext("customer: three")
                .then(() -> {
                    queues.agents().resolve(id, robin.value(), "answered", null).block(WAIT);
                    told(id);
                })
                .expectNext("system: resolved")
                .expectComplete()
                .verify(WAIT);

        // Without Last-Event-ID: everything; a Last-Event-ID this API never sent is refused.
        StepVerifier.create(conversations.follow(id, customer, null).map(e -> texts(List.of(e)).get(0)))
                .expectNext("system: joined", "customer: one", "agent: two", "customer: three", "system: resolved")
                .expectComplete()
                .verify(WAIT);
        assertThatThrownBy(() -> conversations.follow(id, customer, "../etc"))
                .isInstanceOfSatisfying(SurgeException.class, e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
    }

    @Test
    void afterATransferTheNextAgentReadsEverythingAndTheFirstAgentsStreamEnds() {
        String id = escalation();
        take(id, robin, true);
        send(id, customer, "My parcel is damaged.");
        send(id, robin, "Passing you to returns.");

        StepVerifier.create(conversations.follow(id, robin, null).map(e -> texts(List.of(e)).get(0)))
                .expectNext("system: joined", "customer: My parcel is damaged.", "agent: Passing you to returns.")
                .then(() -> {
                    queues.agents().transfer(id, robin.value(), Skill.RETURNS, "Damaged parcel, wants a return")
                            .block(WAIT);
                    told(id);
                })
                .expectNext("system: transferred")
                .expectComplete()
                .verify(WAIT);
        assertThat(refused(conversations.read(id, robin, null)).getStatusCode().value()).isEqualTo(403);

        take(id, sam, Skill.RETURNS, false);
        assertThat(texts(read(id, sam))).containsExactly("system: joined", "customer: My parcel is damaged.",
                "agent: Passing you to returns.", "system: transferred");
    }

    @Test
    void aConversationKeepsAboutItsMostEntriesAndAReadReturnsAtMostThat() {
        int maxEntries = 10;
        conversations = conversations(new ConversationProperties(MAX_LENGTH, maxEntries, 1000, Duration.ofSeconds(10),
                POLL, Duration.ofSeconds(15)));
        String id = escalation();
        for (int i = 1; i <= 150; i++) {
            send(id, customer, "m" + i);
        }
        // Trimmed approximately (whole stream nodes of 100 entries), so memory stays bounded by maxEntries + 100.
        Long kept = redis.opsForStream().size(ConversationRepository.stream(id)).block(WAIT);
        assertThat(kept).isBetween((long) maxEntries, (long) maxEntries + 100).isLessThan(150L);
        List<Entry> read = read(id, customer);
        assertThat(read).hasSize(maxEntries);
        assertThat(read.get(0).text()).isEqualTo("m" + (150 - kept + 1)); // the oldest kept, onwards
    }
}
