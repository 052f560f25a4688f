package org.homeiq.deploy.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.homeiq.deploy.model.Plan;
import org.homeiq.deploy.model.load.DeploymentLoader;
import org.junit.jupiter.api.Test;

/** The bundled plan's error pattern: an error level in the usual log formats, not the word "error" anywhere. */
class DefaultErrorPatternTest {
    private final Plan plan = DeploymentLoader.load(List.of()).plan();
    private final Pattern pattern = GateOptions.from(plan.gate("deploy-ai")).errorPattern();

    @Test
    void everyGateThatSearchesLogsUsesTheSameOne() {
        for (String gate : List.of("deploy-ai", "phase1", "phase2", "phase3", "post-24h")) {
            assertEquals(pattern.pattern(), plan.gate(gate).errorPattern(), gate);
        }
    }

    @Test
    void matchesErrorLevelsOfCommonLogFormats() {
        for (String line : List.of(
                "2026-12-01 21:00:00,123 ERROR [data_api.main] cannot reach influxdb",
                "ERROR:root:cannot reach influxdb",
                "ERROR:    Exception in ASGI application",
                "time=\"2026-12-01T21:00:00Z\" level=error msg=\"write failed\"",
                "level=ERROR msg=boom",
                "{\"level\":\"error\",\"ts\":1733086800,\"msg\":\"write failed\"}",
                "{\"level\": \"ERROR\", \"message\": \"write failed\"}",
                "{\"severity\":\"CRITICAL\",\"message\":\"disk\"}",
                "{\"level\":50,\"time\":1733086800,\"msg\":\"pino error\"}",
                "2026/12/01 21:00:00 [error] 7#7: *1 connect() failed",
                "E1201 21:00:00.123456       1 main.go:42] watch failed",
                "FATAL: password authentication failed for user \"homeiq\"",
                "SEVERE: Servlet.service() threw exception",
                "Traceback (most recent call last):",
                "panic: runtime error: invalid memory address")) {
            assertTrue(pattern.matcher(line).find(), line);
        }
    }

    @Test
    void ignoresTheWordErrorInLinesOfOtherLevels() {
        for (String line : List.of(
                "2026-12-01 21:00:00 INFO device registry loaded, behavior=errors retries=3",
                "INFO: 0 errors in the last hour",
                "level=info msg=\"error budget at 99.9%\" errors=0",
                "{\"level\":\"info\",\"msg\":\"no errors\",\"error_count\":0}",
                "WARNING ERROR_BUDGET_MINUTES not set, using 30",
                "DEBUG retrying after error-free run",
                "I1201 21:00:00.123456 1 main.go:42] Errors: 0",
                "INFO GET /api/errors 200")) {
            assertFalse(pattern.matcher(line).find(), line);
        }
    }
}
