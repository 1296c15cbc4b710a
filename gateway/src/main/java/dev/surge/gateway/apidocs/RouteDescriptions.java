package dev.surge.gateway.apidocs;

import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import dev.surge.gateway.route.Route;
import dev.surge.gateway.route.Routes;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;

/**
 * Completes what springdoc reads from the controllers with the route table: every declared route gets its tag,
 * summary, success answer, hand-checked request body, bearer requirement and problem answers
 * ({@link ApiOperations}). A route no controller mapping describes (the escalation create is a router function) gets
 * its operation here. Paths come from the route table only, never spelled again.
 */
final class RouteDescriptions implements OpenApiCustomizer {

    static final String BEARER = "bearer";
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String REF = "#/components/schemas/";

    @Override
    public void customise(OpenAPI api) {
        Components components = api.getComponents() != null ? api.getComponents() : new Components();
        api.setComponents(components);
        components.addSchemas(Schemas.PROBLEM, Schemas.problem());
        Schemas.requestBodies().forEach(components::addSchemas);
        Paths paths = api.getPaths() != null ? api.getPaths() : new Paths();
        api.setPaths(paths);
        for (Route route : Routes.all()) {
            describe(route, paths, components);
        }
    }

    private static void describe(Route route, Paths paths, Components components) {
        ApiOperations.Doc doc = ApiOperations.of(route);
        HttpMethod method = java.util.Objects.requireNonNull(route.method(), "a declared route has a method");
        PathItem item = paths.computeIfAbsent(route.template(), template -> new PathItem());
        PathItem.HttpMethod verb = PathItem.HttpMethod.valueOf(method.name());
        Operation operation = item.readOperationsMap().get(verb);
        if (operation == null) {
            operation = new Operation().operationId(operationId(route));
            item.operation(verb, operation);
            if (route == Routes.ESCALATE) {
                operation.addParametersItem(new HeaderParameter().name("Idempotency-Key").required(true)
                        .schema(new StringSchema().maxLength(255))
                        .description("unique per escalation; a retry with the same key and body gets the same one"));
            }
        }
        operation.setTags(List.of(doc.tag()));
        operation.setSummary(doc.summary());
        if (route.area().access() != Route.Access.PUBLIC) {
            operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
        }
        if (doc.body() != null) {
            operation.setRequestBody(new RequestBody().required(route != Routes.CANCELLATION)
                    .content(new Content().addMediaType(JSON, new MediaType().schema(ref(doc.body())))));
        }
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse(String.valueOf(doc.status()), success(route, doc, operation, components));
        for (int status : ApiOperations.problems(route)) {
            responses.addApiResponse(String.valueOf(status), new ApiResponse()
                    .description(HttpStatus.valueOf(status).getReasonPhrase())
                    .content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(ref(Schemas.PROBLEM)))));
        }
        operation.setResponses(responses);
    }

    /** The success answer: the table's type, else the one springdoc read from the controller's signature. */
    private static ApiResponse success(Route route, ApiOperations.Doc doc, Operation operation,
                                       Components components) {
        ApiResponse success = new ApiResponse().description(HttpStatus.valueOf(doc.status()).getReasonPhrase());
        if (doc.status() == HttpStatus.NO_CONTENT.value()) {
            return success;
        }
        Schema<?> schema = null;
        if (doc.response() != null) {
            schema = resolve(doc.response(), components);
        } else if (route == Routes.ESCALATE) {
            schema = ref(Schemas.ESCALATION_CREATED);
        } else if (operation.getResponses() != null) {
            for (ApiResponse read : operation.getResponses().values()) {
                if (read.getContent() != null) {
                    for (MediaType media : read.getContent().values()) {
                        if (media.getSchema() != null) {
                            schema = media.getSchema();
                        }
                    }
                }
            }
        }
        String type = route.template().endsWith("/events") ? EVENT_STREAM : JSON;
        return success.content(new Content().addMediaType(type, new MediaType().schema(schema)));
    }

    private static Schema<?> resolve(Class<?> type, Components components) {
        ResolvedSchema resolved = ModelConverters.getInstance(true).resolveAsResolvedSchema(new AnnotatedType(type));
        for (Map.Entry<String, Schema> entry : resolved.referencedSchemas.entrySet()) {
            components.addSchemas(entry.getKey(), entry.getValue());
        }
        return ref(type.getSimpleName());
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref(REF + name);
    }

    private static String operationId(Route route) {
        String[] words = route.template().replaceAll("[{}]", "").split("[/-]");
        StringBuilder id = new StringBuilder(java.util.Objects.requireNonNull(route.method()).name().toLowerCase(java.util.Locale.ROOT));
        for (String word : words) {
            if (!word.isEmpty() && !word.equals("api") && !word.equals("v1")) {
                id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return id.toString();
    }
}
