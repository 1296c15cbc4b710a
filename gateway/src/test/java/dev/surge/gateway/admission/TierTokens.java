package dev.surge.gateway.admission;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Demo customers of a tier, picked by the tier claim their demo token carries (no API call needed). */
final class TierTokens {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TierTokens() {
    }

    /** {@code count} tokens of customers of the tier ("standard", "gold", "platinum"), from customer {@code from}. */
    static List<String> ofTier(WebTestClient client, String tier, int count, int from) {
        List<String> tokens = new ArrayList<>();
        for (int id = from; tokens.size() < count; id++) {
            String token = TestTokens.customer(client, "c" + id);
            if (claims(token).path("tier").asString().equals(tier)) {
                tokens.add(token);
            }
        }
        return tokens;
    }

    static JsonNode claims(String token) {
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
