package dev.surge.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.surge.gateway.queue.CustomerQueue;
import dev.surge.gateway.queue.QueueProperties;

class EscalationIntakeTests {

    private static final String KEY = CustomerQueue.idempotencyKey("c:c1", "key-1");

    @Test
    void everyAttemptOfOneRequestMakesTheSameId() {
        assertThat(EscalationIntake.idFor(KEY, "fp")).isEqualTo(EscalationIntake.idFor(KEY, "fp"));
    }

    @Test
    void anotherKeyOrAnotherRequestMakesAnotherId() {
        String id = EscalationIntake.idFor(KEY, "fp");
        assertThat(EscalationIntake.idFor(CustomerQueue.idempotencyKey("c:c2", "key-1"), "fp")).isNotEqualTo(id);
        assertThat(EscalationIntake.idFor(CustomerQueue.idempotencyKey("c:c1", "key-2"), "fp")).isNotEqualTo(id);
        assertThat(EscalationIntake.idFor(KEY, "other")).isNotEqualTo(id);
    }

    @Test
    void arrivalsInOneMillisecondKeepTheirOrderInTheQueueScore() {
        EscalationIntake intake = new EscalationIntake(null, null, null, QueueProperties.defaults(), null, null,
                Clock.systemUTC(), List.of());
        String first = intake.queueScore(1_000, 5_000);
        String second = intake.queueScore(1_000, 5_000);
        String third = intake.queueScore(1_000, 5_000);
        assertThat(Double.parseDouble(first)).isEqualTo(1_000.0);
        assertThat(Double.parseDouble(second)).isGreaterThan(Double.parseDouble(first));
        assertThat(Double.parseDouble(third)).isGreaterThan(Double.parseDouble(second)).isLessThan(1_001.0);
        // A new millisecond starts again at its whole value.
        assertThat(Double.parseDouble(intake.queueScore(1_001, 5_001))).isEqualTo(1_001.0);
    }

    @Test
    void theIdIsAVersion8UuidInItsCanonicalForm() {
        String id = EscalationIntake.idFor(KEY, "fp");
        UUID uuid = UUID.fromString(id);
        assertThat(uuid.version()).isEqualTo(8);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}
