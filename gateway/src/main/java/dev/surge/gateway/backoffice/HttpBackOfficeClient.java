package dev.surge.gateway.backoffice;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Mono;

/**
 * {@link BackOfficeClient} over HTTP with one WebClient per dependency, all on one pooled Reactor Netty client.
 * Answers are mapped here: 404 → not found, a write's documented refusal (400/409/412/422/428) → refused, any other
 * non-2xx or an I/O failure → unavailable. Each call is one attempt; {@link BackOfficeResilience} wraps it, limits its
 * time (→ timed out) and guards it: GETs as reads (retried), POST and PUT as writes (never retried, and a write that
 * may have been applied without an answer becomes "outcome unknown").
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

    @Override
    public Mono<OrderActions> orderActions(String customerId, String orderId) {
        return get(BackOfficeDependency.ORDERS, OrderActions.class,
                uri -> uri.path("/customers/{id}/orders/{orderId}/eligibility").build(customerId, orderId));
    }

    @Override
    public Mono<ReturnAuthorization> createReturn(String customerId, String orderId, ReturnRequest request,
                                                  String idempotencyKey) {
        return write(BackOfficeDependency.RETURNS, HttpMethod.POST,
                uri -> uri.path("/customers/{id}/orders/{orderId}/returns").build(customerId, orderId),
                request, idempotencyKey, null, response -> response.bodyToMono(ReturnAuthorization.class));
    }

    @Override
    public Mono<ReturnList> returns(String customerId) {
        return get(BackOfficeDependency.RETURNS, ReturnList.class,
                uri -> uri.path("/customers/{id}/returns").build(customerId));
    }

    @Override
    public Mono<ReturnAuthorization> returnAuthorization(String customerId, String rma) {
        return get(BackOfficeDependency.RETURNS, ReturnAuthorization.class,
                uri -> uri.path("/customers/{id}/returns/{rma}").build(customerId, rma));
    }

    @Override
    public Mono<Cancellation> cancelOrder(String customerId, String orderId, CancellationRequest request,
                                          String idempotencyKey) {
        return write(BackOfficeDependency.ORDERS, HttpMethod.POST,
                uri -> uri.path("/customers/{id}/orders/{orderId}/cancellation").build(customerId, orderId),
                request, idempotencyKey, null, response -> response.bodyToMono(Cancellation.class));
    }

    @Override
    public Mono<AddressChange> changeDeliveryAddress(String customerId, String orderId, Address address,
                                                     String idempotencyKey) {
        return write(BackOfficeDependency.ORDERS, HttpMethod.PUT,
                uri -> uri.path("/customers/{id}/orders/{orderId}/delivery-address").build(customerId, orderId),
                address, idempotencyKey, null, response -> response.bodyToMono(AddressChange.class));
    }

    @Override
    public Mono<Versioned<ContactPreferences>> contactPreferences(String customerId) {
        return call(BackOfficeDependency.CUSTOMERS, client -> client.get()
                .uri(uri -> uri.path("/customers/{id}/preferences").build(customerId))
                .exchangeToMono(response -> decode(BackOfficeDependency.CUSTOMERS, response,
                        HttpBackOfficeClient::versionedPreferences)))
                .transform(resilience.forRead(BackOfficeDependency.CUSTOMERS));
    }

    @Override
    public Mono<Versioned<ContactPreferences>> replaceContactPreferences(String customerId,
                                                                         ContactPreferences preferences,
                                                                         String ifMatch, String idempotencyKey) {
        return write(BackOfficeDependency.CUSTOMERS, HttpMethod.PUT,
                uri -> uri.path("/customers/{id}/preferences").build(customerId), preferences, idempotencyKey,
                ifMatch, HttpBackOfficeClient::versionedPreferences);
    }

    private static Mono<Versioned<ContactPreferences>> versionedPreferences(ClientResponse response) {
        String etag = response.headers().asHttpHeaders().getETag();
        if (etag == null) {
            return response.releaseBody().then(Mono.error(new IllegalStateException("preferences without an ETag")));
        }
        return response.bodyToMono(ContactPreferences.class).map(preferences -> new Versioned<>(preferences, etag));
    }

    /**
     * One write: made once with its Idempotency-Key (and If-Match when given), guarded as a write, and "outcome
     * unknown" when it may have been applied without an answer.
     */
    private <T> Mono<T> write(BackOfficeDependency dependency, HttpMethod method, Function<UriBuilder, URI> uri,
                              Object body, String idempotencyKey, @Nullable String ifMatch,
                              Function<ClientResponse, Mono<T>> read) {
        return call(dependency, client -> client.method(method).uri(uri)
                .headers(headers -> {
                    headers.set(IDEMPOTENCY_KEY, idempotencyKey);
                    if (ifMatch != null) {
                        headers.setIfMatch(ifMatch);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(response -> {
                    int status = response.statusCode().value();
                    if (WriteAnswers.REFUSALS.contains(status)) {
                        return WriteAnswers.refusal(dependency, response).flatMap(Mono::error);
                    }
                    if (WriteAnswers.NOT_APPLIED.contains(status)) {
                        return response.releaseBody().then(Mono.error(BackOfficeException.unavailable(dependency,
                                new WriteAnswers.NotApplied(status))));
                    }
                    return decode(dependency, response, read);
                }))
                .transform(resilience.forWrite(dependency))
                .onErrorMap(WriteAnswers::outcomeUnknown,
                        e -> BackOfficeException.outcomeUnknown(dependency, (BackOfficeException) e));
    }

    /** One attempt on the dependency's client, whatever fails in it mapped to a {@link BackOfficeException}. */
    private <T> Mono<T> call(BackOfficeDependency dependency, Function<WebClient, Mono<T>> attempt) {
        return Mono.defer(() -> attempt.apply(clients.get(dependency)))
                .onErrorMap(e -> !(e instanceof BackOfficeException), e -> BackOfficeException.unavailable(dependency, e));
    }

    private <T> Mono<T> get(BackOfficeDependency dependency, Class<T> type, Function<UriBuilder, URI> uri) {
        return clients.get(dependency).get().uri(uri)
                .exchangeToMono(response -> decode(dependency, response, type))
                .onErrorMap(e -> !(e instanceof BackOfficeException), e -> BackOfficeException.unavailable(dependency, e))
                .transform(resilience.forRead(dependency));
    }

    private static <T> Mono<T> decode(BackOfficeDependency dependency, ClientResponse response, Class<T> type) {
        return decode(dependency, response, ok -> ok.bodyToMono(type));
    }

    private static <T> Mono<T> decode(BackOfficeDependency dependency, ClientResponse response,
                                      Function<ClientResponse, Mono<T>> read) {
        if (response.statusCode().is2xxSuccessful()) {
            return read.apply(response)
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
