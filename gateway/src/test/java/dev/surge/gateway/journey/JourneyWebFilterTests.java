package dev.surge.gateway.journey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JourneyWebFilterTests {

    private static String template(String path) {
        StringBuilder entry = new StringBuilder();
        JourneyWebFilter.template(path, entry);
        return entry.toString();
    }

    @Test
    void pathsBecomeTemplatesWithTheOrderIdKeptOnlyWhenItIsSafe() {
        assertThat(template("/api/v1/me")).isEqualTo(",\"path\":\"/api/v1/me\"");
        assertThat(template("/api/v1/me/orders/O123/shipment"))
                .isEqualTo(",\"path\":\"/api/v1/me/orders/{orderId}/shipment\",\"orderId\":\"O123\"");
        assertThat(template("/api/v1/me/orders/a\"b")).isEqualTo(",\"path\":\"/api/v1/me/orders/{orderId}\"");
        assertThat(template("/api/v1/inventory/SKU-1")).isEqualTo(",\"path\":\"/api/v1/inventory/{sku}\"");
        assertThat(template("/api/v1/whatever\"")).isEqualTo(",\"path\":\"/api/v1/{other}\"");
    }

    @Test
    void cacheStatusTellsStaleAnswersApart() {
        assertThat(JourneyWebFilter.cache(null)).isNull();
        assertThat(JourneyWebFilter.cache("surge; hit")).isEqualTo("hit");
        assertThat(JourneyWebFilter.cache("surge; fwd=miss; stored")).isEqualTo("miss");
        assertThat(JourneyWebFilter.cache("surge; hit; detail=stale-if-error")).isEqualTo("stale-if-error");
        assertThat(JourneyWebFilter.cache("surge; hit; detail=stale-while-revalidate"))
                .isEqualTo("stale-while-revalidate");
    }
}
