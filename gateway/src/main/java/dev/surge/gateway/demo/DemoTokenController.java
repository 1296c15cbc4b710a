package dev.surge.gateway.demo;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.security.SecurityProperties;
import dev.surge.gateway.security.SurgeRoles;

/**
 * {@code POST /demo/tokens}: the demo profile's stand-in identity provider. Mints a customer token
 * ({@code {"customerId":"c42"}}), an agent token ({@code {"agentId":"a1","skills":["orders"]}}), a service token
 * for phone systems ({@code {"serviceId":"ivr-1"}}) or an ops token for supervisors ({@code {"opsId":"sam"}}, with
 * an optional {@code name}; the ops API). Never present on the prod profile.
 */
@RestController
@ConditionalOnBooleanProperty("surge.demo.enabled")
class DemoTokenController {

    static final Set<String> SKILLS = Set.of("orders", "returns", "billing", "general");
    private static final Pattern CUSTOMER_ID = Pattern.compile("c[1-9][0-9]{0,8}");
    private static final int MAX_NAME = 64;
    private static final Pattern OTHER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final DemoTokenIssuer issuer;
    private final BackOfficeClient backOffice;

    DemoTokenController(SecurityProperties properties, Clock clock, BackOfficeClient backOffice) {
        this.issuer = new DemoTokenIssuer(properties.getJwt(), clock);
        this.backOffice = backOffice;
    }

    /** Exactly one of the ids; {@code skills} only for agents, {@code name} for agents and ops. */
    record TokenRequest(@Nullable String customerId, @Nullable String agentId, @Nullable List<String> skills,
                        @Nullable String name, @Nullable String serviceId, @Nullable String opsId) {
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    @PostMapping(path = "/demo/tokens", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<TokenResponse> mint(@RequestBody TokenRequest request) {
        int ids = (request.customerId() != null ? 1 : 0) + (request.agentId() != null ? 1 : 0)
                + (request.serviceId() != null ? 1 : 0) + (request.opsId() != null ? 1 : 0);
        if (ids != 1) {
            throw SurgeException.badRequest("Give exactly one of customerId, agentId, serviceId and opsId.");
        }
        if (request.customerId() != null) {
            require(CUSTOMER_ID, request.customerId(), "customerId must look like c42.");
            String customer = request.customerId();
            // Like an identity provider that knows its customers: the tier claim comes from the back office, and a
            // customer it cannot find (or a back office that is down) gets a token without one (= standard).
            return backOffice.customer(customer)
                    .map(profile -> profile.tier().name().toLowerCase(Locale.ROOT))
                    .onErrorResume(e -> Mono.empty())
                    .map(tier -> issuer.mint(customer, SurgeRoles.CUSTOMER, null, null, tier))
                    .switchIfEmpty(Mono.fromSupplier(() -> issuer.mint(customer, SurgeRoles.CUSTOMER, null, null)))
                    .map(this::response);
        }
        String token;
        if (request.agentId() != null) {
            require(OTHER_ID, request.agentId(), "agentId must be 1-32 lowercase letters, digits or dashes.");
            List<String> skills = request.skills() == null || request.skills().isEmpty()
                    ? List.of("general") : List.copyOf(request.skills());
            if (!SKILLS.containsAll(skills)) {
                throw SurgeException.badRequest("skills must be among " + SKILLS + ".");
            }
            String name = request.name() != null ? request.name() : "Agent " + request.agentId();
            token = issuer.mint(request.agentId(), SurgeRoles.AGENT, skills, name);
        } else if (request.opsId() != null) {
            require(OTHER_ID, request.opsId(), "opsId must be 1-32 lowercase letters, digits or dashes.");
            if (request.name() != null && (request.name().isBlank() || request.name().length() > MAX_NAME)) {
                throw SurgeException.badRequest("name must be 1-" + MAX_NAME + " characters.");
            }
            token = issuer.mint(request.opsId(), SurgeRoles.OPS, null,
                    request.name() != null ? request.name() : "Ops " + request.opsId());
        } else {
            require(OTHER_ID, request.serviceId(), "serviceId must be 1-32 lowercase letters, digits or dashes.");
            token = issuer.mint(request.serviceId(), SurgeRoles.SERVICE, null, null);
        }
        return Mono.just(response(token));
    }

    private TokenResponse response(String token) {
        return new TokenResponse(token, "Bearer", issuer.ttl().toSeconds());
    }

    private static void require(Pattern pattern, @Nullable String value, String message) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw SurgeException.badRequest(message);
        }
    }
}
