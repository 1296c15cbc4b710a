package dev.surge.gateway.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** With the resilience package switched off, a back-office call still has its dependency's time limit, and no more. */
class TimeLimitsOnlyTests {

    private final BackOfficeResilience resilience = BackOfficeResilience.timeLimitsOnly(
            dependency -> dependency == BackOfficeDependency.ORDERS ? Duration.ofSeconds(2) : Duration.ofSeconds(5));
    private final AtomicInteger attempts = new AtomicInteger();

    private Mono<String> neverAnswers() {
        return Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.never();
        });
    }

    @Test
    void aCallThatNeverAnswersIsA504AfterItsDependencysTimeoutAndIsNotRetried() {
        StepVerifier.withVirtualTime(() -> neverAnswers().transform(resilience.forRead(BackOfficeDependency.ORDERS)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1999))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(BackOfficeException.class);
                    assertThat(((BackOfficeException) e).kind()).isEqualTo(BackOfficeException.Kind.TIMEOUT);
                    assertThat(((BackOfficeException) e).dependency()).isEqualTo(BackOfficeDependency.ORDERS);
                })
                .verify(Duration.ofSeconds(5));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void eachDependencyHasItsOwnLimitAndAnAnswerInTimePassesUntouched() {
        StepVerifier.withVirtualTime(() -> neverAnswers().transform(resilience.forWrite(BackOfficeDependency.SHIPPING)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(4999))
                .thenAwait(Duration.ofMillis(1))
                .expectError(BackOfficeException.class)
                .verify(Duration.ofSeconds(5));
        StepVerifier.withVirtualTime(() -> Mono.delay(Duration.ofMillis(1900)).thenReturn("ok")
                        .transform(resilience.forRead(BackOfficeDependency.ORDERS)))
                .thenAwait(Duration.ofMillis(1900))
                .expectNext("ok")
                .verifyComplete();
    }
}
