package dev.surge.gateway.core;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes RFC 9457 {@code application/problem+json} bodies. The one place that decides what a problem looks like on
 * the wire, used by the exception handler and by the security entry points (which answer before any handler runs).
 */
public final class ProblemResponses {

    /** Prefix of every problem {@code type} URI Surge defines; the slug after it is given to {@link #problem}. */
    public static final String TYPE_PREFIX = "https://surge.dev/problems/";

    /** Stands for the instance while a prepared problem is encoded; no request path looks like it. */
    private static final String PLACEHOLDER = "\u0000instance\u0000";

    private final JsonMapper json;

    public ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    /** A problem of the given status with a Surge type slug, a human title and a detail safe to show a customer. */
    public static ProblemDetail problem(HttpStatusCode status, String typeSlug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + typeSlug));
        problem.setTitle(title);
        return problem;
    }

    /** Sets status and content type and writes the problem, with the request path as {@code instance}. */
    public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
        return send(exchange, HttpStatusCode.valueOf(problem.getStatus()),
                encode(problem, exchange.getRequest().getPath().value()));
    }

    /**
     * The problem encoded once, for answers given very often (a shed request under overload): only the
     * {@code instance} member, the request path, is encoded per response. The bytes are those {@link #write} makes.
     */
    public Prepared prepare(ProblemDetail problem) {
        byte[] whole = encode(problem, PLACEHOLDER);
        byte[] marker = json.writeValueAsBytes(PLACEHOLDER);
        int at = indexOf(whole, marker);
        if (at < 0) { // the problem names its own instance: nothing varies
            return new Prepared(HttpStatusCode.valueOf(problem.getStatus()), whole, null);
        }
        return new Prepared(HttpStatusCode.valueOf(problem.getStatus()), Arrays.copyOfRange(whole, 0, at),
                Arrays.copyOfRange(whole, at + marker.length, whole.length));
    }

    /** A problem encoded by {@link #prepare}. */
    public static final class Prepared {
        private final HttpStatusCode status;
        private final byte[] head;
        private final byte @Nullable [] tail;

        private Prepared(HttpStatusCode status, byte[] head, byte @Nullable [] tail) {
            this.status = status;
            this.head = head;
            this.tail = tail;
        }
    }

    /** Writes a prepared problem, with the request path as {@code instance}. */
    public Mono<Void> write(ServerWebExchange exchange, Prepared problem) {
        return send(exchange, problem.status, body(problem, exchange.getRequest().getPath().value()));
    }

    private static Mono<Void> send(ServerWebExchange exchange, HttpStatusCode status, byte[] body) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    /** The bytes of a prepared problem for a request to {@code path}, for answers written below WebFlux. */
    public byte[] body(Prepared problem, String path) {
        if (problem.tail == null) {
            return problem.head;
        }
        byte[] instance = json.writeValueAsBytes(path);
        byte[] body = Arrays.copyOf(problem.head, problem.head.length + instance.length + problem.tail.length);
        System.arraycopy(instance, 0, body, problem.head.length, instance.length);
        System.arraycopy(problem.tail, 0, body, problem.head.length + instance.length, problem.tail.length);
        return body;
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The problem as the body of an answer to a request for {@code path} (its {@code instance} unless it names one). */
    public byte[] encode(ProblemDetail problem, @Nullable String path) {
        // Built by hand rather than by serializing ProblemDetail so that the members and their order are ours,
        // whatever Jackson mix-ins are registered.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        String instance = problem.getInstance() != null ? problem.getInstance().toString() : path;
        if (instance != null) { // unknown only for a request line that could not be read
            body.put("instance", instance);
        }
        Map<String, Object> extra = problem.getProperties();
        if (extra != null) {
            extra.forEach(body::putIfAbsent);
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (RuntimeException e) {
            // Never let the error path fail: a fixed body is better than an empty one.
            return ("{\"type\":\"about:blank\",\"status\":" + problem.getStatus() + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
