package dev.surge.gateway.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Each page's address ({@code /console/}, {@code /app/}) answers with its {@code index.html}; WebFlux serves the rest
 * of {@code static/} as it is. The two small pages are read once at start-up, so no request reads a file on an event
 * loop. They are outside {@code /api/}: the route table and Spring Security leave them public, and the pages sign in
 * (demo tokens) and call the API like any app.
 */
@Configuration(proxyBeanMethods = false)
public class PagesConfiguration {

    /** The page paths; {@code /console} and {@code /app} without the slash answer the same page. */
    public static final String CONSOLE = "/console/";
    public static final String APP = "/app/";

    @Bean
    RouterFunction<ServerResponse> pages() {
        byte[] console = read("static/console/index.html");
        byte[] app = read("static/app/index.html");
        return RouterFunctions.route(RequestPredicates.GET(CONSOLE).or(RequestPredicates.GET("/console")),
                        request -> page(console))
                .andRoute(RequestPredicates.GET(APP).or(RequestPredicates.GET("/app")), request -> page(app));
    }

    private static reactor.core.publisher.Mono<ServerResponse> page(byte[] html) {
        // A relative module path must resolve under the page's folder, so the page always links absolute paths.
        return ServerResponse.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache())
                .bodyValue(html);
    }

    private static byte[] read(String location) {
        try (InputStream in = new ClassPathResource(location).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location, e);
        }
    }
}
