package org.homeiq.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.homeiq.deploy.cli.EngineRun;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run path on a real Docker engine: promotion before the window ends, a crash inside a
 * background window, a build failure skipping its dependants, the rollback verdict's own budget.
 * Dependencies are the inventory's (Appendix A): websocket-ingestion and admin-api depend on data-api,
 * weather-api does not.
 */
@DockerTest
class RunPathE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One service's entry in a {@code --json} report (the e2e tests of the run path share it). */
    static JsonNode service(JsonNode report, String name) {
        for (JsonNode s : report.get("services")) {
            if (s.get("service").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no " + name + " in " + report);
    }

    @Test
    void theNextServiceOfASequentialWaveStartsBeforeThePreviousWindowEnds() throws Exception {
        List<String> two = List.of("data-api", "admin-api");
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "overlap", two)) {
            mini.start();
            two.forEach(s -> mini.configure(s, Behaviour.healthy().version("2")));
            Path json = dir.resolve("r.json");
            EngineRun run = EngineRun.of(TestStack.args(mini, "rebuild-wave", "--services", String.join(",", two),
                    "--timeout", "60s", "--stability-window", "20s", "--json", json.toString()));
            assertEquals(0, run.exitCode(), run.all());
            JsonNode r = JSON.readTree(json.toFile());
            assertTrue(r.get("startedAt").asText().endsWith("Z"), r.toString());
            JsonNode data = service(r, "data-api").get("timeline");
            JsonNode admin = service(r, "admin-api").get("timeline");
            assertTrue(admin.get("deployStartMs").asLong() < data.get("windowPassedMs").asLong(),
                    "admin-api deployed while data-api's window ran: " + r);
            assertTrue(data.get("healthyMs").asLong() <= admin.get("deployStartMs").asLong(), "data-api was promoted first: " + r);
            assertTrue(admin.get("buildStartMs").asLong() < admin.get("deployStartMs").asLong(), r.toString());
            assertTrue(data.get("containerStartMs").asLong() <= data.get("healthyMs").asLong(), r.toString());
            assertTrue(data.get("downtimeMs").asLong() >= 0, "old container stopped -> new one healthy: " + r);
            for (String s : two) {
                assertEquals("2", TestStack.version(mini, s), s);
            }
        }
    }

    @Test
    void aCrashInsideABackgroundWindowRollsBackThatServiceAndItsDependantsDeployedAfterIt() throws Exception {
        List<String> services = List.of("data-api", "weather-api", "websocket-ingestion");
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "late", services)) {
            mini.start();
            mini.configure("data-api", Behaviour.healthy().version("2").crashAfter(Duration.ofSeconds(25)));
            mini.configure("weather-api", Behaviour.healthy().version("2"));
            mini.configure("websocket-ingestion", Behaviour.healthy().version("2"));
            Path json = dir.resolve("r.json");
            EngineRun run = EngineRun.of(TestStack.args(mini, "rebuild-wave", "--services", String.join(",", services),
                    "--timeout", "60s", "--stability-window", "90s", "--json", json.toString()));
            assertEquals(1, run.exitCode(), run.all());
            JsonNode r = JSON.readTree(json.toFile());
            JsonNode data = service(r, "data-api");
            assertEquals("rolled back", data.get("status").asText(), data.toString());
            String reason = data.get("reason").asText();
            assertTrue((reason.startsWith("running:") || reason.startsWith("restarts:")) && reason.contains("stability window"), reason);
            assertEquals("1", TestStack.version(mini, "data-api"));
            JsonNode ws = service(r, "websocket-ingestion");
            assertTrue(ws.get("timeline").get("healthyMs").isNumber(), "websocket-ingestion was promoted before data-api crashed: " + ws);
            assertEquals("rolled back", ws.get("status").asText(), ws.toString());
            assertTrue(ws.get("reason").asText().contains("depends on data-api"), ws.toString());
            assertEquals("1", TestStack.version(mini, "websocket-ingestion"));
            assertEquals("healthy", service(r, "weather-api").get("status").asText(), "weather-api does not depend on data-api");
            assertEquals("2", TestStack.version(mini, "weather-api"));
            assertTrue(run.out().contains("fatal error, exiting"), "the crash's log lines are shown: " + run.out());
        }
    }

    @Test
    void aBuildFailureSkipsItsDependantsAndTheRestGoesOn() throws Exception {
        List<String> services = List.of("data-api", "websocket-ingestion", "weather-api");
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "skip", services)) {
            mini.start();
            String wsBefore = mini.containerId("websocket-ingestion").orElseThrow();
            mini.configure("data-api", Behaviour.healthy().version("2").failsToBuild());
            mini.configure("websocket-ingestion", Behaviour.healthy().version("2"));
            mini.configure("weather-api", Behaviour.healthy().version("2"));
            Path json = dir.resolve("r.json");
            EngineRun run = EngineRun.of(TestStack.args(mini, "rebuild-wave", "--services", String.join(",", services), "--on-failure", "continue",
                    "--timeout", "60s", "--json", json.toString()));
            assertEquals(1, run.exitCode(), run.all());
            JsonNode r = JSON.readTree(json.toFile());
            assertEquals("build failed", service(r, "data-api").get("status").asText());
            JsonNode ws = service(r, "websocket-ingestion");
            assertEquals("skipped", ws.get("status").asText(), ws.toString());
            assertTrue(ws.get("reason").asText().contains("depends on data-api, which failed"), ws.toString());
            assertEquals(wsBefore, mini.containerId("websocket-ingestion").orElseThrow(), "a skipped service's container is not touched");
            assertEquals("1", TestStack.version(mini, "websocket-ingestion"));
            assertEquals("1", TestStack.version(mini, "data-api"));
            assertEquals("2", TestStack.version(mini, "weather-api"), "weather-api does not depend on data-api: deployed");
        }
    }

    @Test
    void theRollbackVerdictUsesTheRestorePointsOwnBudget() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "budget", List.of("data-api"))) {
            mini.start();
            mini.configure("data-api", Behaviour.healthy().version("2").neverGetsHealthy());
            Path json = dir.resolve("r.json");
            EngineRun run = EngineRun.of(TestStack.args(mini, "rebuild-wave", "--services", "data-api",
                    "--timeout", "5s", "--stability-window", "5s", "--json", json.toString()));
            assertEquals(1, run.exitCode(), run.all());
            JsonNode data = service(JSON.readTree(json.toFile()), "data-api");
            assertEquals("rolled back", data.get("status").asText(), data.toString());
            assertTrue(!run.out().contains("not healthy either"), run.out());
            assertEquals("1", TestStack.version(mini, "data-api"));
        }
    }
}
