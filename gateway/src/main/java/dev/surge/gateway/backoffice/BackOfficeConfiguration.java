package dev.surge.gateway.backoffice;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;


import dev.surge.gateway.core.TracePropagation;
import io.micrometer.tracing.propagation.Propagator;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** The back-office client on one tuned connection pool, and its health check. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BackOfficeProperties.class)
public class BackOfficeConfiguration {

    @Bean(destroyMethod = "dispose")
    ConnectionProvider backOfficeConnectionProvider(BackOfficeProperties properties) {
        return ConnectionProvider.builder("surge-backoffice")
                .maxConnections(properties.getMaxConnections())
                .pendingAcquireMaxCount(properties.getPendingAcquireMaxCount())
                .pendingAcquireTimeout(properties.getPendingAcquireTimeout())
                .maxIdleTime(properties.getMaxIdleTime())
                .maxLifeTime(properties.getMaxLifeTime())
                // Close idle connections in the background, so a request never picks one the server already closed.
                .evictInBackground(properties.getMaxIdleTime().dividedBy(2))
                .lifo() // reuse the warmest connection; lets the rest idle out after a spike
                .metrics(true)
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    BackOfficeClient backOfficeClient(ConnectionProvider backOfficeConnectionProvider,
                                      BackOfficeProperties properties,
                                      ObjectProvider<BackOfficeResilience> resilience,
                                      ObjectProvider<Propagator> tracing) {
        HttpClient http = HttpClient.create(backOfficeConnectionProvider)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.getConnectTimeout().toMillis())
                .responseTimeout(properties.getTimeout().multipliedBy(2)) // backstop; per-call timeouts come first
                .compress(false);
        // A plain builder: Boot 4 keeps WebClient auto-configuration in a separate module, and the per-request
        // observation it would add is not wanted on this path; pool metrics come from the connection provider.
        // The trace goes along as a header (core.TracePropagation), without an observation per call.
        WebClient.Builder builder = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http));
        tracing.ifAvailable(propagator -> builder.filter(new TracePropagation(propagator)));
        return new HttpBackOfficeClient(builder, properties, resilience.getIfAvailable(() -> BackOfficeResilience.timeLimitsOnly(properties::timeout)));
    }

    @Bean("backOffice")
    BackOfficeHealthIndicator backOfficeHealthIndicator(BackOfficeProperties properties) {
        return new BackOfficeHealthIndicator(WebClient.builder(), properties);
    }
}
