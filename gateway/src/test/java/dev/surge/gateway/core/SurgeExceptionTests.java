package dev.surge.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

class SurgeExceptionTests {

    private static String retryAfter(Duration wait) {
        return SurgeException.retryAfter(wait).getFirst(HttpHeaders.RETRY_AFTER);
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndNeverZero() {
        assertThat(retryAfter(Duration.ZERO)).isEqualTo("1");
        assertThat(retryAfter(Duration.ofMillis(-5))).isEqualTo("1");
        assertThat(retryAfter(Duration.ofMillis(1))).isEqualTo("1");
        assertThat(retryAfter(Duration.ofMillis(1001))).isEqualTo("2");
        assertThat(retryAfter(Duration.ofMinutes(10))).isEqualTo("600");
    }

    @Test
    void headersTravelWithTheProblemAndCannotBeChangedAfterwards() {
        SurgeException e = new SurgeException(ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, "x", "X",
                "x."), SurgeException.retryAfter(Duration.ofSeconds(3)), null);
        assertThat(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("3");
        assertThat(SurgeException.badRequest("no.").getHeaders().isEmpty()).isTrue();
        assertThatThrownBy(() -> e.getHeaders().set("X-Other", "1"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
