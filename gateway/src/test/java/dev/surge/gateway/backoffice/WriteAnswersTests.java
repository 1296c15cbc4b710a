package dev.surge.gateway.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

/** How a write's answer, or its absence, is read: refusals by type, and when nobody knows whether it was made. */
class WriteAnswersTests {

    private static final BackOfficeDependency ORDERS = BackOfficeDependency.ORDERS;

    @Test
    void aTimeoutOrALostConnectionLeavesTheOutcomeUnknownButARefusedConnectionOrA503DoesNot() {
        assertThat(WriteAnswers.outcomeUnknown(BackOfficeException.timeout(ORDERS, new TimeoutException()))).isTrue();
        assertThat(WriteAnswers.outcomeUnknown(BackOfficeException.unavailable(ORDERS,
                new IllegalStateException("connection reset")))).isTrue();
        assertThat(WriteAnswers.outcomeUnknown(BackOfficeException.unavailable(ORDERS,
                new RuntimeException(new ConnectException("refused"))))).isFalse();
        assertThat(WriteAnswers.outcomeUnknown(BackOfficeException.unavailable(ORDERS,
                new WriteAnswers.NotApplied(503)))).isFalse();
        assertThat(WriteAnswers.outcomeUnknown(BackOfficeException.circuitOpen(ORDERS, java.time.Duration.ZERO)))
                .isFalse();
        assertThat(WriteAnswers.outcomeUnknown(BackOfficeException.notFound(ORDERS))).isFalse();

        BackOfficeException unknown = BackOfficeException.outcomeUnknown(ORDERS,
                BackOfficeException.timeout(ORDERS, new TimeoutException()));
        assertThat(unknown.getStatusCode().value()).isEqualTo(504);
        assertThat(unknown.isTimeout()).isTrue();
        assertThat(BackOfficeException.outcomeUnknown(ORDERS, BackOfficeException.unavailable(ORDERS,
                new IllegalStateException())).isTimeout()).isFalse();
    }

    @Test
    void aRefusalKeepsItsStatusAndTypeAndTellsTheCustomerInSurgesWords() {
        BackOfficeProblem problem = WriteAnswers.problem(422, new WriteAnswers.WireProblem(
                URI.create("https://surge.dev/backoffice/problems/final-sale"), "Unprocessable Content",
                "SKU-00011 is in the clearance table WHS_FINAL", null));
        assertThat(problem.refusal()).isEqualTo(Refusal.FINAL_SALE);
        BackOfficeException refused = BackOfficeException.refused(BackOfficeDependency.RETURNS, problem);
        assertThat(refused.kind()).isEqualTo(BackOfficeException.Kind.REFUSED);
        assertThat(refused.getStatusCode().value()).isEqualTo(422);
        assertThat(refused.getBody().getType()).hasToString("https://surge.dev/problems/final-sale");
        assertThat(refused.getBody().getDetail()).doesNotContain("WHS_FINAL");
        assertThat(refused.getBody().getProperties()).containsEntry("reason", Refusal.FINAL_SALE);
        assertThat(refused.problem().detail()).contains("WHS_FINAL");
    }

    @Test
    void aRefusalWithoutOneOfOurTypesGetsTheTypeItsStatusStandsFor() {
        assertThat(WriteAnswers.problem(412, new WriteAnswers.WireProblem(URI.create("about:blank"), null, null,
                null)).type()).isEqualTo(BackOfficeProblem.VERSION_MISMATCH);
        BackOfficeProblem invalid = WriteAnswers.problem(400, new WriteAnswers.WireProblem(null, null, null,
                List.of(new FieldError("postalCode", "bad"))));
        assertThat(invalid.type()).isEqualTo(BackOfficeProblem.INVALID_REQUEST);
        assertThat(BackOfficeException.refused(ORDERS, invalid).getBody().getProperties())
                .containsEntry("errors", List.of(new FieldError("postalCode", "bad")));
        BackOfficeProblem other = WriteAnswers.problem(409, new WriteAnswers.WireProblem(null, null, null, null));
        assertThat(other.refusal()).isNull();
        assertThat(BackOfficeException.refused(ORDERS, other).getBody().getType())
                .hasToString("https://surge.dev/problems/refused");
    }
}
