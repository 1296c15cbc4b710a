package dev.surge.gateway.backoffice;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Mono;

/**
 * {@link BackOfficeClient} over HTTP with one WebClient per dependency, all on one pooled Reactor Netty client.
 * Answers are mapped here: 404 → not found, any other non-2xx or an I/O failure → unavailable. Each call is one
 * attempt; {@link BackOfficeResilience} wraps it, limits its time (→ timed out) and guards it (every call here is an
 * idempotent GET, so a read).
 */
final class HttpBackOfficeClient implements BackOfficeClient {

    private final Map<BackOfficeDependency, WebClient> clients = new EnumMap<>(BackOfficeDependency.class);
    private final BackOfficeResilience resilience;

    HttpBackOfficeClient(WebClient.Builder builder, BackOfficeProperties properties, BackOfficeResilience resilience) {
        this.resilience = resilience;
        for (BackOfficeDependency dependency : BackOfficeDependency.values()) {
            URI base = properties.baseUrl(dependency);
            clients.put(dependency, builder.clone().baseUrl(base.toString()).build());
        }
    }

    @Override
    public Mono<CustomerProfile> customer(String customerId) {
        return get(BackOfficeDependency.CUSTOMERS, CustomerProfile.class,
                uri -> uri.path("/customers/{id}").build(customerId));
    }

    @Override
    public Mono<Account> account(String customerId) {
        return get(BackOfficeDependency.ACCOUNTS, Account.class, uri -> uri.path("/accounts/{id}").build(customerId));
    }

    @Override
    public Mono<OrderPage> orders(String customerId, @Nullable String after, int limit) {
        return get(BackOfficeDependency.ORDERS, OrderPage.class, uri -> {
            uri.path("/customers/{id}/orders").queryParam("limit", limit);
            if (after != null) {
                uri.queryParam("after", "{after}");
                return uri.build(customerId, after);
            }
            return uri.build(customerId);
        });
    }

    @Override
    public Mono<Order> order(String customerId, String orderId) {
        return get(BackOfficeDependency.ORDERS, Order.class,
                uri -> uri.path("/customers/{id}/orders/{orderId}").build(customerId, orderId));
    }

    @Override
    public Mono<Shipment> shipment(String orderId) {
        return get(BackOfficeDependency.SHIPPING, Shipment.class, uri -> uri.path("/shipments/{id}").build(orderId));
    }

    @Override
    public Mono<StockLevel> stock(String sku) {
        return get(BackOfficeDependency.INVENTORY, StockLevel.class, uri -> uri.path("/inventory/{sku}").build(sku));
    }

    private <T> Mono<T> get(BackOfficeDependency dependency, Class<T> type, Function<UriBuilder, URI> uri) {
        return clients.get(dependency).get().uri(uri)
                .exchangeToMono(response -> decode(dependency, response, type))
                .onErrorMap(e -> !(e instanceof BackOfficeException), e -> BackOfficeException.unavailable(dependency, e))
                .transform(resilience.forRead(dependency));
    }

    private static <T> Mono<T> decode(BackOfficeDependency dependency, ClientResponse response, Class<T> type) {
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(type)
                    .switchIfEmpty(Mono.defer(() -> Mono.error(BackOfficeException.unavailable(dependency,
                            new IllegalStateException("empty back-office body")))));
        }
        HttpStatus status = HttpStatus.resolve(response.statusCode().value());
        Throwable error = status == HttpStatus.NOT_FOUND
                ? BackOfficeException.notFound(dependency)
                : BackOfficeException.unavailable(dependency,
                        new IllegalStateException("back office answered " + response.statusCode().value()));
        return response.releaseBody().then(Mono.error(error));
    }
}
