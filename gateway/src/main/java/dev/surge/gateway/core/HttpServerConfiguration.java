package dev.surge.gateway.core;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.NettyPipeline;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Guards the HTTP server against hostile connections, with what Boot and Reactor Netty lack: a bound on open
 * connections, a deadline on each request head, problem+json for heads too large, and Reactor Netty's request body
 * deadline (which Boot has no property for). The idle keep-alive timeout and the header size limits are Boot's own
 * properties (application.yaml).
 */
@Configuration(proxyBeanMethods = false)
public class HttpServerConfiguration {

    @Bean
    RequestHeadGuard requestHeadGuard(HttpProperties properties, ObjectProvider<ProblemResponses> problems) {
        // Looked up when first needed: the server, and so this, is made before the JSON mapper problems need.
        return new RequestHeadGuard(properties.getRequestHeaderTimeout(), problems::getObject);
    }

    @Bean
    ConnectionLimitHandler connectionLimitHandler(HttpProperties properties, RequestHeadGuard heads) {
        return new ConnectionLimitHandler(properties.getMaxConnections(), channel -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) { // HTTP/1.1; an h2 connection has none
                heads.install(channel.pipeline(), NettyPipeline.HttpCodec);
            }
        });
    }

    @Bean
    NettyServerCustomizer connectionGuards(HttpProperties properties, ConnectionLimitHandler limit) {
        return server -> server
                .requestTimeout(properties.getRequestBodyTimeout())
                .doOnChannelInit((observer, channel, remoteAddress) ->
                        channel.pipeline().addFirst(ConnectionLimitHandler.NAME, limit));
    }

    @Bean
    MeterBinder httpConnectionMetrics(ConnectionLimitHandler limit, RequestHeadGuard heads) {
        return registry -> {
            Gauge.builder("surge.http.connections.open", limit, ConnectionLimitHandler::open)
                    .description("Client connections open on the HTTP port").register(registry);
            FunctionCounter.builder("surge.http.connections.refused", limit, ConnectionLimitHandler::refused)
                    .description("Connections closed on arrival: surge.http.max-connections were open")
                    .register(registry);
            FunctionCounter.builder("surge.http.request.head.timeouts", heads, RequestHeadGuard::timeouts)
                    .description("Connections closed: a request head did not arrive whole within "
                            + "surge.http.request-header-timeout")
                    .register(registry);
            FunctionCounter.builder("surge.http.request.head.rejected", heads, RequestHeadGuard::rejected)
                    .description("Request heads answered 431, 414 or 400 before WebFlux: too large or malformed")
                    .register(registry);
        };
    }
}
