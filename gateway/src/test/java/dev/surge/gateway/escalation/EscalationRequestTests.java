package dev.surge.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.identity.Caller;
import dev.surge.gateway.identity.Tier;
import dev.surge.gateway.queue.Skill;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EscalationRequestTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");
    private static final Caller CUSTOMER = new Caller(Caller.Kind.CUSTOMER, "c42", Tier.STANDARD);
    private static final Caller IVR = new Caller(Caller.Kind.SERVICE, "ivr-1", Tier.STANDARD);

    private static EscalationRequest parse(String json, Caller caller) {
        return EscalationRequest.parse(JSON.readTree(json), caller, NOW);
    }

    @SuppressWarnings("unchecked")
    private static List<String> invalidFields(String json, Caller caller) {
        SurgeException e = catchThrowableOfType(SurgeException.class, () -> parse(json, caller));
        assertThat(e.getStatusCode().value()).isEqualTo(400);
        List<Map<String, String>> errors = (List<Map<String, String>>) e.getBody().getProperties().get("errors");
        return errors.stream().map(error -> error.get("field")).toList();
    }

    @Test
    void aCustomersRequestTakesTheCustomerFromTheTokenAndMapsTheReasonToASkill() {
        EscalationRequest request = parse("{\"reason\":\"delivery\",\"channel\":\"mobile\"}", CUSTOMER);
        assertThat(request.customerId()).isEqualTo("c42");
        assertThat(request.skill()).isEqualTo(Skill.ORDERS);
        assertThat(request.contact().method()).isEqualTo("chat");
        assertThat(parse("{\"reason\":\"return\",\"channel\":\"web\"}", CUSTOMER).skill()).isEqualTo(Skill.RETURNS);
        assertThat(parse("{\"reason\":\"other\",\"channel\":\"web\"}", CUSTOMER).skill()).isEqualTo(Skill.GENERAL);
    }

    @Test
    void everyInvalidFieldIsListed() {
        assertThat(invalidFields("{\"channel\":7,\"orderId\":\"../x\",\"contact\":{\"method\":\"pigeon\"}}", CUSTOMER))
                .containsExactly("reason", "orderId", "channel", "contact.method");
        assertThat(invalidFields("[]", CUSTOMER)).containsExactly("");
    }

    @Test
    void customersCannotNameACustomerNorUsePhoneAndServicesMust() {
        assertThat(invalidFields("{\"reason\":\"billing\",\"channel\":\"phone\",\"customerId\":\"c7\"}", CUSTOMER))
                .containsExactly("channel", "customerId");
        assertThat(invalidFields("{\"reason\":\"billing\",\"channel\":\"web\"}", IVR))
                .containsExactly("channel", "customerId");
        assertThat(parse("{\"reason\":\"billing\",\"channel\":\"phone\",\"customerId\":\"c7\"}", IVR).customerId())
                .isEqualTo("c7");
    }

    @Test
    void aCallbackNeedsAPhoneNumberAndAFutureWindow() {
        String past = "{\"reason\":\"billing\",\"channel\":\"web\",\"contact\":{\"method\":\"callback\","
                + "\"phone\":\"+4930123456\",\"windowStart\":\"2026-11-22T08:00:00Z\",\"windowEnd\":\"2026-11-22T09:00:00Z\"}}";
        assertThat(invalidFields(past, CUSTOMER)).containsExactly("contact.windowEnd");
        String ok = past.replace("2026-11-22T09", "2026-11-23T09");
        assertThat(parse(ok, CUSTOMER).contact().isCallback()).isTrue();
    }

    @Test
    void theFingerprintIgnoresLayoutButNotContent() {
        JsonNode a = JSON.readTree("{\"reason\":\"billing\",\"channel\":\"web\",\"message\":\"hi\"}");
        JsonNode b = JSON.readTree("{ \"message\" : \"hi\", \"channel\" : \"web\", \"reason\" : \"billing\" }");
        JsonNode c = JSON.readTree("{\"reason\":\"billing\",\"channel\":\"web\",\"message\":\"hi!\"}");
        String fa = EscalationRequest.parse(a, CUSTOMER, NOW).fingerprint();
        assertThat(EscalationRequest.parse(b, CUSTOMER, NOW).fingerprint()).isEqualTo(fa);
        assertThat(EscalationRequest.parse(c, CUSTOMER, NOW).fingerprint()).isNotEqualTo(fa);
    }
}
