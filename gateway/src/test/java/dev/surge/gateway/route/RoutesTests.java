package dev.surge.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class RoutesTests {

    @Test
    void declaredEndpointsResolveToTheirEntry() {
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/me")).isSameAs(Routes.PROFILE);
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/me/orders/O-1")).isSameAs(Routes.ORDER);
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/me/orders/O-1/shipment")).isSameAs(Routes.SHIPMENT);
        assertThat(Routes.resolve(HttpMethod.POST, "/api/v1/escalations")).isSameAs(Routes.ESCALATE);
        assertThat(Routes.resolve(HttpMethod.DELETE, "/api/v1/escalations/e1")).isSameAs(Routes.ESCALATION_ABANDON);
        assertThat(Routes.resolve(HttpMethod.POST, "/api/v1/agent/escalations/claim")).isSameAs(Routes.AGENT_CLAIM);
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/agent/queues/events"))
                .isSameAs(Routes.AGENT_QUEUE_EVENTS);
    }

    @Test
    void aVariableIsOneNonEmptySegment() {
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/me/orders/").method()).isNull();
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/me/orders/a/b").method()).isNull();
        assertThat(Routes.variable(Routes.SHIPMENT, "/api/v1/me/orders/O-7/shipment", "orderId")).isEqualTo("O-7");
        assertThat(Routes.variable(Routes.SHIPMENT, "/api/v1/me/orders/O-7/other", "orderId")).isNull();
        assertThat(Routes.variable(Routes.PROFILE, "/api/v1/me", "orderId")).isNull();
    }

    @Test
    void whatIsNotTheApiHasNoRoute() {
        assertThat(Routes.resolve(HttpMethod.GET, "/actuator/health")).isSameAs(Route.NONE);
        assertThat(Routes.resolve(HttpMethod.POST, "/demo/tokens").isApi()).isFalse();
        assertThat(Routes.resolve(HttpMethod.GET, "/apiary").isApi()).isFalse();
    }

    @Test
    void anUndeclaredRequestIsClassedByTheTablesRules() {
        Route write = Routes.resolve(HttpMethod.POST, "/api/v1/me/something");
        assertThat(write.area()).isEqualTo(Route.Area.ME);
        assertThat(write.limit()).isEqualTo(Route.Limit.ACTION);
        assertThat(write.admission()).isEqualTo(Route.Admission.BY_CALLER);
        assertThat(write.read()).isFalse();
        assertThat(write.journey()).isEqualTo("/api/v1/{other}");

        Route head = Routes.resolve(HttpMethod.HEAD, "/api/v1/me/orders/O-1");
        assertThat(head.read()).isTrue();
        assertThat(head.limit()).isEqualTo(Route.Limit.READ);
        assertThat(head.journey()).as("the GET's template").isEqualTo("/api/v1/me/orders/{orderId}");
        assertThat(head.cachedRead()).isFalse();

        assertThat(Routes.resolve(HttpMethod.PUT, "/api/v1/escalations").limit())
                .as("only the POST is the escalation class").isEqualTo(Route.Limit.READ);
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/escalations/x/y").admission())
                .isEqualTo(Route.Admission.RESERVED);
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/me/x/events").admission())
                .isEqualTo(Route.Admission.UNCOUNTED);
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/agent").admission())
                .as("the agent desk is below /api/v1/agent/").isEqualTo(Route.Admission.BY_CALLER);
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/agent").area()).isEqualTo(Route.Area.AGENT);
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v2/anything").area()).isEqualTo(Route.Area.API);
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v2/anything").journey()).isNull();
        assertThat(Routes.resolve(HttpMethod.POST, "/api/v1/inventory/SKU-1").area())
                .as("inventory is public for reads only").isEqualTo(Route.Area.API);
    }

    @Test
    void theJourneyRecordsSelfServiceButNeverEscalationsOrTheAgentDesk() {
        assertThat(Routes.ESCALATE.journey()).isNull();
        assertThat(Routes.AGENT_CLAIM.journey()).isNull();
        assertThat(Routes.resolve(HttpMethod.GET, "/api/v1/agentx").journey()).isNull();
        assertThat(Routes.STOCK.journey()).isEqualTo("/api/v1/inventory/{sku}");
        assertThat(Routes.journeyTemplate("/api/v1/me/account")).isEqualTo("/api/v1/me/account");
        assertThat(Routes.orderId("/api/v1/me/orders/O-9/shipment")).isEqualTo("O-9");
        assertThat(Routes.orderId("/api/v1/me/account")).isNull();
    }

    @Test
    void onlyTheCustomersOwnSingleReadsAreForTheFastPath() {
        assertThat(Routes.ALL).filteredOn(Route::cachedRead)
                .containsExactlyInAnyOrder(Routes.PROFILE, Routes.ACCOUNT, Routes.ORDER, Routes.SHIPMENT);
    }

    @Test
    void anExchangeIsResolvedOnceAndKeepsItsRoute() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/me/account"));
        Route first = Routes.of(exchange);
        assertThat(first).isSameAs(Routes.ACCOUNT);
        assertThat(exchange.<Route>getAttribute(Routes.ATTRIBUTE)).isSameAs(first);
        assertThat(Routes.of(exchange)).isSameAs(first);
    }
}
