package dev.surge.gateway.backoffice;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

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
    BackOfficeClient backOfficeClient(WebClient.Builder builder, ConnectionProvider backOfficeConnectionProvider,
                                      BackOfficeProperties properties) {
        HttpClient http = HttpClient.create(backOfficeConnectionProvider)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.getConnectTimeout().toMillis())
                .responseTimeout(properties.getTimeout().multipliedBy(2)) // backstop; per-call timeouts come first
                .compress(false);
        return new HttpBackOfficeClient(builder.clone().clientConnector(new ReactorClientHttpConnector(http)),
                properties);
    }

    @Bean("backOffice")
    BackOfficeHealthIndicator backOfficeHealthIndicator(WebClient.Builder builder, BackOfficeProperties properties) {
        return new BackOfficeHealthIndicator(builder, properties);
    }
}
