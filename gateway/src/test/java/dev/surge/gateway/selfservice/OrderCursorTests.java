package dev.surge.gateway.selfservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.surge.gateway.core.SurgeException;

class OrderCursorTests {

    @Test
    void roundTripsAnOrderId() {
        String cursor = OrderCursor.encode("O123456789012");
        assertThat(cursor).doesNotContain("O123456789012");
        assertThat(OrderCursor.decode(cursor)).isEqualTo("O123456789012");
    }

    @Test
    void noCursorMeansTheFirstPage() {
        assertThat(OrderCursor.encode(null)).isNull();
        assertThat(OrderCursor.decode(null)).isNull();
        assertThat(OrderCursor.decode("")).isNull();
    }

    @Test
    void foreignCursorsAreRejectedAs400() {
        assertThatThrownBy(() -> OrderCursor.decode("%%%")).isInstanceOf(SurgeException.class)
                .satisfies(e -> assertThat(((SurgeException) e).getStatusCode().value()).isEqualTo(400));
        // base64url of "v2:O1" and of "v1:bad id"
        assertThatThrownBy(() -> OrderCursor.decode("djI6TzE")).isInstanceOf(SurgeException.class);
        assertThatThrownBy(() -> OrderCursor.decode("djE6YmFkIGlk")).isInstanceOf(SurgeException.class);
    }
}
