package dev.surge.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import tools.jackson.databind.json.JsonMapper;

class ProblemResponsesTests {

    private final ProblemResponses problems = new ProblemResponses(JsonMapper.builder().build());

    @Test
    void aPreparedProblemIsTheSameBodyAsOneEncodedPerResponseWhateverThePath() {
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, "overloaded",
                "Service Unavailable", "Try again in 1 s.");
        problem.setProperty("retryAfter", 1L);
        ProblemResponses.Prepared prepared = problems.prepare(problem);
        for (String path : new String[] {"/api/v1/me", "/api/v1/me/orders/O1\"}", "/a\\b", "/caf\u00e9/\u2603",
                "/x%22y", "/"}) {
            String once = new String(problems.body(prepared, path), StandardCharsets.UTF_8);
            assertThat(once).as(path).isEqualTo(new String(problems.encode(problem, path), StandardCharsets.UTF_8));
        }
        assertThat(new String(problems.body(prepared, "/api/v1/me"), StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"https://surge.dev/problems/overloaded\",\"title\":\"Service Unavailable\",\"status\":503,"
                        + "\"detail\":\"Try again in 1 s.\",\"instance\":\"/api/v1/me\",\"retryAfter\":1}");
    }

    @Test
    void aProblemThatNamesItsOwnInstanceKeepsIt() {
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.NOT_FOUND, "not-found", "Not Found", "No.");
        problem.setInstance(URI.create("/fixed"));
        ProblemResponses.Prepared prepared = problems.prepare(problem);
        assertThat(problems.body(prepared, "/api/v1/other")).isEqualTo(problems.encode(problem, "/api/v1/other"));
    }
}
