package dev.surge.gateway.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSecurityContextJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;

import dev.surge.gateway.core.ProblemResponses;
import dev.surge.gateway.route.Route;

/**
 * Stateless bearer-token security: no sessions, no CSRF (no cookies are used), every request authenticated from its
 * own token. Customer data needs the customer role, the agent API the agent role.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    private static final int JWKS_MAX_BYTES = 256 * 1024;

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
                                                  ProblemResponses problems) {
        ProblemAuthenticationEntryPoint entryPoint = new ProblemAuthenticationEntryPoint(problems);
        ProblemAccessDeniedHandler deniedHandler = new ProblemAccessDeniedHandler(problems);
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .authorizeExchange(exchanges -> {
                    exchanges.pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/info",
                                    "/actuator/prometheus").permitAll()
                            .pathMatchers("/demo/**").permitAll(); // only mapped on the demo profile
                    // Who may call the API: the route table's areas, in their order.
                    for (Route.Area area : Route.Area.values()) {
                        if (area.patterns().isEmpty()) {
                            continue;
                        }
                        String[] patterns = area.patterns().toArray(String[]::new);
                        allow(area.method() != null ? exchanges.pathMatchers(area.method(), patterns)
                                : exchanges.pathMatchers(patterns), area.access());
                    }
                    exchanges.anyExchange().permitAll();
                })
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(deniedHandler)
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(authenticationConverter())))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(deniedHandler))
                .build();
    }

    private static void allow(ServerHttpSecurity.AuthorizeExchangeSpec.Access matched, Route.Access access) {
        switch (access) {
            case PUBLIC -> matched.permitAll();
            case AUTHENTICATED -> matched.authenticated();
            case CUSTOMER -> matched.hasRole(SurgeRoles.CUSTOMER);
            case AGENT -> matched.hasRole(SurgeRoles.AGENT);
            case OPS -> matched.hasRole(SurgeRoles.OPS);
            case CUSTOMER_OR_SERVICE -> matched.hasAnyRole(SurgeRoles.CUSTOMER, SurgeRoles.SERVICE);
        }
    }

    private static ReactiveJwtAuthenticationConverterAdapter authenticationConverter() {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(SurgeRoles.CLAIM_ROLES);
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return new ReactiveJwtAuthenticationConverterAdapter(converter);
    }

    /**
     * Spring Security would wrap each of its filters, the authentication and the authorization in observations: per
     * request that costs more than it tells, and http.server.requests already times every request. Switched off here
     * rather than with {@code management.observations.enable.*}: any entry there makes Boot look every observation's
     * name up, prefix by prefix, on every request.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's strict firewall with its rules as they are, only its header checks done by
     * {@link FirewallText} instead of regular expressions (same answers, a fraction of the CPU).
     */
    @Bean
    ServerWebExchangeFirewall serverWebExchangeFirewall() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowedHeaderNames(FirewallText::allowedName);
        firewall.setAllowedHeaderValues(FirewallText::allowedValue);
        firewall.setAllowedParameterNames(FirewallText::allowedName);
        return firewall;
    }

    /**
     * A request the firewall rejects (a path with {@code ;}, an encoded slash or dot segment, a control character in
     * a header) gets a 400 problem+json like every other bad request; Spring Security's default is an empty 400.
     */
    @Bean
    ServerExchangeRejectedHandler serverExchangeRejectedHandler(ProblemResponses problems) {
        return (exchange, rejected) -> problems.write(exchange, ProblemResponses.problem(HttpStatus.BAD_REQUEST,
                "request-rejected", "Bad Request",
                "The request was rejected: its path or headers contain characters that are not allowed."));
    }

    @Bean
    CallerWebFilter callerWebFilter(CachingJwtDecoder decoder) {
        return new CallerWebFilter(decoder);
    }

    /** The decoder Spring Security uses, which also remembers verified tokens for {@link VerifiedTokens}. */
    @Bean
    CachingJwtDecoder jwtDecoder(SecurityProperties properties, Clock clock, MeterRegistry registry) {
        SecurityProperties.Jwt jwt = properties.getJwt();
        NimbusReactiveJwtDecoder decoder = jwt.usesJwks()
                ? jwksDecoder(jwt, clock, registry)
                // Only HS256 is accepted: a token that names another algorithm, "none" included, is rejected.
                : NimbusReactiveJwtDecoder.withSecretKey(hmacKey(jwt)).macAlgorithm(MacAlgorithm.HS256).build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(jwt.getClockSkew());
        timestamps.setClock(clock);
        validators.add(timestamps);
        // A token without an expiry would be valid forever.
        validators.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
        if (jwt.getIssuer() != null && !jwt.getIssuer().isBlank()) {
            validators.add(new JwtIssuerValidator(jwt.getIssuer()));
        }
        if (jwt.getAudience() != null && !jwt.getAudience().isBlank()) {
            validators.add(new JwtAudienceValidator(jwt.getAudience()));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        // A size of 0 keeps nothing: every request is verified in full.
        return new CachingJwtDecoder(decoder, jwt.getVerifiedCacheSize(), jwt.getVerifiedCacheTtl(), clock,
                jwt.getClockSkew());
    }

    /**
     * Verifies with the identity provider's keys as {@link JwksKeys} keeps them: cached, refreshed ahead, fetched
     * for an unknown {@code kid} at most once per interval, each fetch bounded. Asymmetric algorithms only.
     */
    private static NimbusReactiveJwtDecoder jwksDecoder(SecurityProperties.Jwt jwt, Clock clock,
                                                        MeterRegistry registry) {
        // A plain builder (Boot 4 keeps WebClient auto-configuration in a module of its own); a JWKS is a few KB.
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) jwt.getJwksFetchTimeout().toMillis())
                .responseTimeout(jwt.getJwksFetchTimeout());
        WebClient client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(JWKS_MAX_BYTES)).build();
        JwksKeys keys = new JwksKeys(client, Objects.requireNonNull(jwt.getJwkSetUri()),
                jwt.getJwksRefreshInterval(), jwt.getJwksMinFetchInterval(), jwt.getJwksFetchTimeout(), clock,
                registry);
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        algorithms.addAll(JWSAlgorithm.Family.RSA);
        algorithms.addAll(JWSAlgorithm.Family.EC);
        return NimbusReactiveJwtDecoder.withJwkSource(keys)
                .jwtProcessorCustomizer(processor -> processor.setJWSKeySelector(
                        new JWSVerificationKeySelector<>(algorithms, new JWKSecurityContextJWKSet())))
                .build();
    }

    /** The demo profile's HS256 key, for verifying here and for minting in {@code demo}. */
    public static SecretKey hmacKey(SecurityProperties.Jwt jwt) {
        String secret = Objects.requireNonNull(jwt.getHmacSecret(), "surge.security.jwt.hmac-secret");
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }
}
