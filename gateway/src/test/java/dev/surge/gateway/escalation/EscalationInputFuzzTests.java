package dev.surge.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import reactor.core.publisher.Flux;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.idempotency.IdempotencyKeys;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.identity.Tier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a client sends to {@code POST /api/v1/escalations}: the body, read as the controller reads it (WebFlux's
 * Jackson decoder into a tree, within {@code spring.codec.max-in-memory-size}, then {@code EscalationRequest.parse}),
 * and the {@code Idempotency-Key} header. Each is taken or refused with its documented error (a decoding error or
 * one over the size limit, which WebFlux answers 400 and 413, or Surge's 400), never anything else. The normal
 * build replays the inputs in {@code EscalationInputFuzzTestsInputs}.
 */
class EscalationInputFuzzTests {

    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");
    private static final JacksonJsonDecoder DECODER = decoder();

    private static JacksonJsonDecoder decoder() {
        JacksonJsonDecoder decoder = new JacksonJsonDecoder(JsonMapper.builder().build());
        decoder.setMaxInMemorySize(64 * 1024); // application.yaml's spring.codec.max-in-memory-size
        return decoder;
    }

    private static void assertBadRequest(SurgeException e) {
        assertThat(e.getStatusCode().value()).isEqualTo(400);
        assertThat(e.getBody().getDetail()).isNotBlank();
    }

    /** The first byte picks the caller (a customer or a phone system); the rest is the body. */
    @FuzzTest(maxDuration = "2m")
    void aBodyIsAnEscalationOrADocumentedError(byte[] input) {
        Caller caller = input.length > 0 && (input[0] & 1) == 1 ? new Caller(Caller.Kind.SERVICE, "ivr-1", Tier.STANDARD)
                : new Caller(Caller.Kind.CUSTOMER, "c42", Tier.STANDARD);
        byte[] body = input.length > 0 ? java.util.Arrays.copyOfRange(input, 1, input.length) : input;
        JsonNode tree;
        try {
            tree = DECODER.decodeToMono(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)),
                            ResolvableType.forClass(JsonNode.class), MediaType.APPLICATION_JSON, Map.of())
                    .cast(JsonNode.class).block(Duration.ofSeconds(5));
        } catch (DecodingException | DataBufferLimitException e) {
            return; // WebFlux: 400 and 413, as problem+json (core.ProblemWebExceptionHandler)
        }
        try {
            EscalationRequest request = EscalationRequest.parse(tree, caller, NOW);
            assertThat(request.customerId()).isNotBlank();
            assertThat(request.fingerprint()).hasSize(64);
            if (!caller.actsForCustomers()) {
                assertThat(request.customerId()).isEqualTo(caller.id());
            }
        } catch (SurgeException e) {
            assertBadRequest(e);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void anIdempotencyKeyIsTakenOrRefusedWith400(byte[] input) {
        String header = new String(input, StandardCharsets.ISO_8859_1); // header bytes off the wire
        try {
            String key = IdempotencyKeys.required(header);
            assertThat(key).matches("[\\x21-\\x7e]{1,255}");
            assertThat(header).contains(key);
        } catch (SurgeException e) {
            assertBadRequest(e);
        }
    }
}
