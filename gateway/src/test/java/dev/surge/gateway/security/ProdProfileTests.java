package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.context.annotation.Configuration;

/**
 * The prod profile's security settings, bound from the real application.yaml and application-prod.yaml: without the
 * identity provider's JWKS, the issuer or the audience the gateway refuses to start, naming what is missing.
 */
class ProdProfileTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SecurityProperties.class)
    static class Bound {
    }

    private final ApplicationContextRunner prod = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withPropertyValues("spring.profiles.active=prod")
            .withUserConfiguration(Bound.class);

    private static final String JWKS = "surge.security.jwt.jwk-set-uri=https://idp.example.test/jwks.json";
    private static final String ISSUER = "surge.security.jwt.issuer=https://idp.example.test";
    private static final String AUDIENCE = "surge.security.jwt.audience=surge-gateway";

    @Test
    void startsWithTheJwksTheIssuerAndTheAudience() {
        prod.withPropertyValues(JWKS, ISSUER, AUDIENCE).run(context -> {
            assertThat(context).hasNotFailed();
            SecurityProperties.Jwt jwt = context.getBean(SecurityProperties.class).getJwt();
            assertThat(jwt.usesJwks()).isTrue();
            assertThat(jwt.getAudience()).isEqualTo("surge-gateway");
            assertThat(jwt.getHmacSecret()).as("no demo secret on prod").isNull();
        });
    }

    @Test
    void refusesToStartWithoutTheJwks() {
        prod.withPropertyValues(ISSUER, AUDIENCE).run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("surge.security.jwt.jwk-set-uri is required"));
    }

    @Test
    void refusesToStartWithoutTheIssuer() {
        prod.withPropertyValues(JWKS, AUDIENCE).run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("surge.security.jwt.issuer is required"));
    }

    @Test
    void refusesToStartWithoutTheAudience() {
        prod.withPropertyValues(JWKS, ISSUER).run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("surge.security.jwt.audience is required")
                .hasMessageContaining("SURGE_JWT_AUDIENCE"));
    }
}
