package org.homeiq.deploy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.homeiq.deploy.health.Check;
import org.homeiq.deploy.secrets.Masker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepResultTest {
    @TempDir
    Path dir;

    RunReport failedWave() {
        RunReport r = new RunReport("rebuild-wave --wave d1-core");
        r.add("data-api", "d1-core").step("http", true, "2xx", "200").status("healthy");
        r.add("admin-api", "d1-core").step("docker-health", false, "healthy", "unhealthy")
                .status("rolled back").action("rolled back: previous image healthy again 2s");
        r.add("data-retention", "d1-core").status("skipped").failed("not started: an earlier service failed").action("not touched");
        r.finish(1);
        return r;
    }

    @Test
    void aFailedServiceIsNamedWithItsCheckAndWhatWasDone() throws IOException {
        RunReport report = failedWave();
        var result = new StepResult("rebuild-wave", 1, report, null, "JUnit report: x.xml", null, null);
        assertEquals("FAILED at d1-core: admin-api unhealthy (docker-health); rolled back; 1/3 healthy", result.outcome(),
                "the skipped service is not another failure");
        assertTrue(result.failure().startsWith("FAILED admin-api (wave d1-core)"), result.failure());
        assertTrue(result.failure().contains("check:    docker-health"), result.failure());

        Path file = dir.resolve("r.json");
        result.write(file, new Masker());
        JsonNode j = new ObjectMapper().readTree(Files.readString(file));
        assertEquals(1, j.get("exitCode").asInt());
        assertEquals("admin-api", j.get("failed").get(0).get("service").asText());
        assertEquals("d1-core", j.get("failed").get(0).get("wave").asText());
        assertEquals("docker-health", j.get("failed").get(0).get("check").asText());
        assertEquals(3, j.get("services").asInt());
        assertEquals(1, j.get("healthy").asInt());
    }

    @Test
    void passedCountsHealthyServices() {
        RunReport r = new RunReport("rollback --label pre-rebuild --day 1");
        r.add("influxdb", null).step("http", true, "2xx", "200").status("healthy");
        r.finish(0);
        assertEquals("PASSED, 1/1 healthy", new StepResult("rollback", 0, r, null, null, null, null).outcome());
    }

    @Test
    void anEnvironmentErrorIsOneLine() {
        var result = new StepResult("backup", 3, null, "cannot reach Docker at unix:///var/run/docker.sock\ndetails", null, null, null);
        assertEquals("environment error: cannot reach Docker at unix:///var/run/docker.sock", result.outcome());
        assertTrue(result.failure().startsWith("environment error (engine exit 3): cannot reach Docker"), result.failure());
    }
}
