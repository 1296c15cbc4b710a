package dev.surge.gateway.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import dev.surge.gateway.Management;
import dev.surge.gateway.route.Route;
import dev.surge.gateway.route.Routes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document against what the application really serves: every API endpoint the handler mappings serve is
 * documented, nothing is documented that no mapping serves, both are exactly the route table, and each operation
 * names its path parameters and its problem answers (application/problem+json, the shared Problem schema). The
 * document is on the management port only, with no token; the public port does not serve it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocsIntegrationTests {

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z]+)}");

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping annotated;

    @Autowired
    List<RouterFunctionMapping> functions;

    @Autowired
    JsonMapper json;

    JsonNode spec;

    @BeforeAll
    void fetch() {
        // The first request builds the document (scanning every controller): seconds on a loaded machine.
        byte[] body = Management.client(managementPort).mutate().responseTimeout(Duration.ofSeconds(60)).build().get().uri("/actuator/openapi").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        spec = json.readTree(body);
    }

    @Test
    void isOpenApi31() {
        assertThat(spec.get("openapi").asString()).startsWith("3.1");
    }

    @Test
    void documentsExactlyTheRouteTable() {
        Set<String> table = new TreeSet<>();
        for (Route route : Routes.all()) {
            table.add(route.method() + " " + route.template());
        }
        assertThat(documented()).isEqualTo(table);
    }

    @Test
    void documentsExactlyWhatTheHandlerMappingsServe() {
        Set<String> served = new TreeSet<>();
        annotated.getHandlerMethods().forEach((info, method) -> info.getPatternsCondition().getPatterns()
                .forEach(pattern -> {
                    if (pattern.getPatternString().startsWith("/api/")) {
                        info.getMethodsCondition().getMethods()
                                .forEach(verb -> served.add(verb + " " + pattern.getPatternString()));
                    }
                }));
        // Router functions (the escalation create) match by path; the route table gives the method they answer.
        List<String> functionPaths = new ArrayList<>();
        for (RouterFunctionMapping mapping : functions) {
            RouterFunction<?> routerFunction = mapping.getRouterFunction();
            if (routerFunction != null) {
                routerFunction.accept(new PathCollector(functionPaths));
            }
        }
        assertThat(functionPaths).isNotEmpty();
        for (String path : functionPaths) {
            List<Route> declared = Routes.all().stream().filter(route -> route.template().equals(path)).toList();
            assertThat(declared).as("router function path %s is a declared route", path).isNotEmpty();
            declared.forEach(route -> served.add(route.method() + " " + path));
        }
        assertThat(documented()).isEqualTo(served);
    }

    @Test
    void everyOperationNamesItsPathParametersAndProblems() {
        for (Route route : Routes.all()) {
            JsonNode operation = operation(route);
            Set<String> names = new TreeSet<>();
            for (JsonNode parameter : operation.path("parameters")) {
                if (parameter.get("in").asString().equals("path")) {
                    names.add(parameter.get("name").asString());
                }
            }
            Set<String> variables = new TreeSet<>();
            Matcher matcher = VARIABLE.matcher(route.template());
            while (matcher.find()) {
                variables.add(matcher.group(1));
            }
            assertThat(names).as("path parameters of %s %s", route.method(), route.template()).isEqualTo(variables);
            JsonNode responses = operation.get("responses");
            for (String status : List.of("400", "401", "429", "503")) {
                assertThat(responses.has(status)).as("%s of %s %s", status, route.method(), route.template()).isTrue();
            }
            responses.properties().forEach(entry -> {
                int status = Integer.parseInt(entry.getKey());
                if (status >= 400) {
                    assertThat(entry.getValue().at("/content/application~1problem+json/schema/$ref").asString())
                            .isEqualTo("#/components/schemas/Problem");
                }
            });
        }
        assertThat(spec.at("/components/schemas/Problem/properties").has("type")).isTrue();
    }

    @Test
    void describesWhatTheCallerMayMeetOnWrites() {
        assertThat(statuses(Routes.PREFERENCES_REPLACE)).contains("404", "409", "412", "422", "428", "413", "403");
        assertThat(statuses(Routes.ORDER)).contains("404", "502", "504").doesNotContain("413");
        assertThat(statuses(Routes.ESCALATE)).contains("202", "409", "422").doesNotContain("201");
        assertThat(operation(Routes.ESCALATE).at("/requestBody/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/EscalationRequest");
        assertThat(operation(Routes.PROFILE).at("/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/CustomerProfile");
        assertThat(spec.at("/components/schemas/CustomerProfile/properties").has("email")).isTrue();
        // The public read needs no token; the rest name the bearer scheme.
        assertThat(operation(Routes.STOCK).has("security")).isFalse();
        assertThat(operation(Routes.AGENT_CLAIM).at("/security/0").has("bearer")).isTrue();
    }

    @Test
    void thePublicPortServesNoDescription() {
        client.get().uri("/v3/api-docs").exchange().expectStatus().isNotFound();
        client.get().uri("/actuator/openapi").exchange().expectStatus().isNotFound();
    }

    private Set<String> documented() {
        Set<String> documented = new TreeSet<>();
        spec.get("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(operation -> documented.add(operation.getKey().toUpperCase() + " " + path.getKey())));
        return documented;
    }

    private JsonNode operation(Route route) {
        JsonNode operation = spec.path("paths").path(route.template())
                .path(String.valueOf(route.method()).toLowerCase());
        assertThat(operation.isObject()).as("%s %s documented", route.method(), route.template()).isTrue();
        return operation;
    }

    private List<String> statuses(Route route) {
        List<String> statuses = new ArrayList<>();
        operation(route).get("responses").propertyNames().forEach(statuses::add);
        return statuses;
    }

    /** The path patterns of router functions' routes ({@code RequestPredicates.path} prints as its pattern). */
    private record PathCollector(List<String> paths) implements RouterFunctions.Visitor {
        @Override
        public void startNested(RequestPredicate predicate) {
        }

        @Override
        public void endNested(RequestPredicate predicate) {
        }

        @Override
        public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
            String text = predicate.toString();
            if (text.startsWith("/api/")) {
                paths.add(text);
            }
        }

        @Override
        public void resources(java.util.function.Function<org.springframework.web.reactive.function.server.ServerRequest,
                reactor.core.publisher.Mono<org.springframework.core.io.Resource>> lookupFunction) {
        }

        @Override
        public void attributes(java.util.Map<String, Object> attributes) {
        }

        @Override
        public void unknown(RouterFunction<?> routerFunction) {
        }
    }
}
