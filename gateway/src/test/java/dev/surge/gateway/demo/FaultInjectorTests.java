package dev.surge.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class FaultInjectorTests {

    private final FaultInjector faults = new FaultInjector();

    @Test
    void anEndpointsOwnFaultWinsOverTheGlobalOne() {
        faults.set(new FaultInjector.Faults(100, 0.5, Map.of("orders", new FaultInjector.Fault(0, 1.0))));
        assertThat(faults.faultFor("orders")).isEqualTo(new FaultInjector.Fault(0, 1.0));
        assertThat(faults.faultFor("customers")).isEqualTo(new FaultInjector.Fault(100, 0.5));
        faults.reset();
        assertThat(faults.faultFor("orders")).isEqualTo(FaultInjector.Fault.NONE);
    }

    @Test
    void omittedSettingsMeanNoFault() {
        faults.set(new FaultInjector.Faults(null, 1.0, null));
        assertThat(faults.faultFor("inventory")).isEqualTo(new FaultInjector.Fault(0, 1.0));
    }

    @Test
    void invalidSettingsAreRejectedAndChangeNothing() {
        faults.set(new FaultInjector.Faults(10, 0.0, null));
        assertThatThrownBy(() -> faults.set(new FaultInjector.Faults(-1, 0.0, null)))
                .hasMessageContaining("latencyMs");
        assertThatThrownBy(() -> faults.set(new FaultInjector.Faults(0, 1.5, null)))
                .hasMessageContaining("errorRate");
        assertThatThrownBy(() -> faults.set(new FaultInjector.Faults(0, 0.0,
                Map.of("payroll", FaultInjector.Fault.NONE)))).hasMessageContaining("unknown endpoint");
        assertThat(faults.faultFor("orders")).isEqualTo(new FaultInjector.Fault(10, 0.0));
    }

    @Test
    void errorRatesOfZeroAndOneAreCertain() {
        for (int i = 0; i < 1000; i++) {
            assertThat(FaultInjector.shouldFail(new FaultInjector.Fault(0, 0.0))).isFalse();
            assertThat(FaultInjector.shouldFail(new FaultInjector.Fault(0, 1.0))).isTrue();
        }
    }

    @Test
    void failNextFailsExactlyThatManyCallsOfItsEndpointThenTheErrorRateApplies() {
        faults.set(new FaultInjector.Faults(0, 0.0, Map.of("accounts", new FaultInjector.Fault(0, 0.0, 2))));
        FaultInjector.Fault accounts = faults.faultFor("accounts");
        assertThat(faults.shouldFail("customers", faults.faultFor("customers"))).isFalse();
        assertThat(faults.shouldFail("accounts", accounts)).isTrue();
        assertThat(faults.shouldFail("accounts", accounts)).isTrue();
        assertThat(faults.shouldFail("accounts", accounts)).isFalse();
        assertThat(faults.shouldFail("accounts", accounts)).isFalse();
        // Setting the faults again starts the count again; clearing them stops it.
        faults.set(faults.current());
        assertThat(faults.shouldFail("accounts", accounts)).isTrue();
        faults.reset();
        assertThat(faults.shouldFail("accounts", accounts)).isFalse();
        assertThatThrownBy(() -> faults.set(new FaultInjector.Faults(0, 0.0,
                Map.of("accounts", new FaultInjector.Fault(0, 0.0, -1))))).hasMessageContaining("failNext");
    }

    @Test
    void omittedMembersOfAnEndpointsFaultMeanNoFault() {
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        FaultInjector.Faults read = json.readValue("{\"endpoints\":{\"accounts\":{\"failNext\":1},"
                + "\"orders\":{\"latencyMs\":5,\"errorRate\":0.5}}}", FaultInjector.Faults.class);
        assertThat(read.endpoints()).containsEntry("accounts", new FaultInjector.Fault(0, 0.0, 1))
                .containsEntry("orders", new FaultInjector.Fault(5, 0.5, 0));
    }

    @Test
    void theMostSpecificSettingAppliesAndWritesCanBeTargetedAlone() {
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        faults.set(json.readValue("{\"errorRate\":0.1,\"writes\":{\"errorRate\":1.0},"
                + "\"endpoints\":{\"returns:POST\":{\"failNext\":1,\"afterApply\":true},"
                + "\"preferences\":{\"latencyMs\":7}}}", FaultInjector.Faults.class));
        assertThat(faults.keyFor("returns", "POST")).isEqualTo("returns:POST");
        assertThat(faults.faultFor(faults.keyFor("returns", "POST"))).isEqualTo(new FaultInjector.Fault(0, 0.0, 1,
                true));
        assertThat(faults.faultFor(faults.keyFor("returns", "GET"))).isEqualTo(new FaultInjector.Fault(0, 0.1));
        assertThat(faults.faultFor(faults.keyFor("cancellation", "POST"))).isEqualTo(new FaultInjector.Fault(0, 1.0));
        assertThat(faults.faultFor(faults.keyFor("preferences", "PUT"))).as("the endpoint's own, over writes")
                .isEqualTo(new FaultInjector.Fault(7, 0.0));
        assertThat(faults.shouldFail("returns:POST", faults.faultFor("returns:POST"))).isTrue();
        assertThat(faults.shouldFail("returns:POST", faults.faultFor("returns:POST"))).isFalse();
        assertThatThrownBy(() -> faults.set(new FaultInjector.Faults(0, 0.0,
                Map.of("returns:DELETE", FaultInjector.Fault.NONE)))).hasMessageContaining("unknown endpoint");
        assertThatThrownBy(() -> faults.set(new FaultInjector.Faults(0, 0.0,
                Map.of("orders", new FaultInjector.Fault(0, 0.0, 0, true))))).hasMessageContaining("writes only");
    }
}
