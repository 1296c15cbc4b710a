package dev.surge.gateway.notify;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.gateway.core.Background;
import dev.surge.gateway.queue.QueueProperties;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/** Notification rules on escalations, and the webhook when {@code surge.notify.webhook.url} is set. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotifyProperties.class)
@ConditionalOnBooleanProperty(name = "surge.notify.enabled", matchIfMissing = true)
public class NotifyConfiguration {

    @Bean
    NotifyMetrics notifyMetrics(MeterRegistry registry) {
        return new NotifyMetrics(registry);
    }

    @Bean
    NotificationStream notificationStream(ReactiveStringRedisTemplate redis, NotifyProperties properties,
                                          NotifyMetrics metrics) {
        return new NotificationStream(redis, properties.getStreamMaxLength(), metrics);
    }

    @Bean
    BusinessNotifier businessNotifier(NotificationStream stream, NotifyProperties properties, NotifyMetrics metrics,
                                      JsonMapper json, Clock clock, QueueProperties queue) {
        // Repeat rules read the earlier escalations the queue keeps: they cannot look further back than it keeps them.
        BusinessNotifier.checkWindows(properties.getRules(), queue.history().window());
        return new BusinessNotifier(stream, properties, metrics, json, clock);
    }

    @Bean
    @ConditionalOnProperty("surge.notify.webhook.url")
    WebhookDeliverer webhookDeliverer(NotificationStream stream, NotifyProperties properties, NotifyMetrics metrics,
                                      Clock clock) {
        return new WebhookDeliverer(stream, WebClient.create(), properties.getWebhook(), metrics, clock);
    }

    @Bean
    @ConditionalOnProperty("surge.notify.webhook.url")
    Background webhookDelivery(WebhookDeliverer deliverer, NotifyProperties properties) {
        return Background.every("webhook delivery", properties.getWebhook().getPollInterval(), deliverer::poll);
    }
}
