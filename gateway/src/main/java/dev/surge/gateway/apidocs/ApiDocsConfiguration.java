package dev.surge.gateway.apidocs;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.BlockingExecutionConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The OpenAPI document, served by springdoc on the management port only ({@code /actuator/openapi}, see
 * application.yaml and docs/openapi.md): the public port answers no description of the API to anonymous callers.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocsConfiguration {

    @Bean
    OpenAPI surgeOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Surge gateway API").version("v1")
                        .description("The customer, escalation, agent, ops and waiting-room APIs. Every error is RFC 9457 "
                                + "problem+json. Rate-limited answers carry RateLimit-Policy / RateLimit headers; "
                                + "429 and 503 carry Retry-After."))
                .components(new Components().addSecuritySchemes(RouteDescriptions.BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")));
    }

    /**
     * springdoc builds the document on its first request (classpath scanning, reading class files): blocking I/O that
     * must not run on an event loop. Its handlers run on one thread of their own instead; the document is then cached,
     * so later requests cost a serialization. Only springdoc's handlers: every other controller stays on the loop.
     */
    @Bean
    WebFluxConfigurer apiDocsOffTheEventLoop() {
        Executor executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "api-docs");
            thread.setDaemon(true);
            return thread;
        });
        return new WebFluxConfigurer() {
            @Override
            public void configureBlockingExecution(BlockingExecutionConfigurer configurer) {
                configurer.setExecutor(new org.springframework.core.task.support.TaskExecutorAdapter(executor));
                configurer.setControllerMethodPredicate(method -> method.getBeanType().getName()
                        .startsWith("org.springdoc."));
            }
        };
    }

    @Bean
    OpenApiCustomizer surgeRouteDescriptions() {
        return new RouteDescriptions();
    }
}
