package dev.surge.gateway.demo;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.gateway.core.SurgeException;

/**
 * Drives the simulator from load and chaos tests, on the gateway's own port: {@code /demo/backoffice/faults} sets
 * latency and error rates, {@code /demo/backoffice/stats} tells how many calls reached the back office and how its
 * writes ended, {@code /demo/backoffice/changes} tells how many customers changed something, and forgets it all.
 */
@RestController
@ConditionalOnBooleanProperty("surge.demo.enabled")
@RequestMapping("/demo/backoffice")
class DemoBackOfficeController {

    private final FaultInjector faults;
    private final SimulatorStats stats;
    private final ChangeLedger changes;

    DemoBackOfficeController(FaultInjector faults, SimulatorStats stats, ChangeLedger changes) {
        this.faults = faults;
        this.stats = stats;
        this.changes = changes;
    }

    /** {@code {"customers": N}}: customers with changes in the simulator's memory. */
    record Changes(int customers) {
    }

    @GetMapping("/changes")
    Changes changes() {
        return new Changes(changes.size());
    }

    /** Forgets every change made through the simulator: its data is the generated data again. */
    @DeleteMapping("/changes")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void forgetChanges() {
        changes.clear();
    }

    @PutMapping(path = "/faults", consumes = MediaType.APPLICATION_JSON_VALUE)
    FaultInjector.Faults setFaults(@RequestBody FaultInjector.Faults requested) {
        try {
            faults.set(requested);
        } catch (IllegalArgumentException e) {
            throw SurgeException.badRequest(e.getMessage());
        }
        return faults.current();
    }

    @GetMapping("/faults")
    FaultInjector.Faults faults() {
        return faults.current();
    }

    @DeleteMapping("/faults")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void clearFaults() {
        faults.reset();
    }

    @GetMapping("/stats")
    SimulatorStats.Snapshot stats() {
        return stats.snapshot();
    }

    /** The last W3C {@code traceparent} the back office received per {@code "METHOD /path"}: traces reach it. */
    @GetMapping("/traceparents")
    Map<String, String> traceparents() {
        return stats.traceparents();
    }

    @DeleteMapping("/stats")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void resetStats() {
        stats.reset();
    }
}
