package org.homeiq.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.homeiq.deploy.cli.EngineRun;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rebuild-wave, health-gate and rollback against a real Docker engine and the miniature HomeIQ. */
@DockerTest
class WaveE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CORE = List.of("data-api", "websocket-ingestion", "admin-api");

    @TempDir
    Path dir;

    private static String[] args(MiniHomeIq mini, String... rest) {
        return TestStack.args(mini, rest);
    }

    private static String version(MiniHomeIq mini, String service) {
        return TestStack.version(mini, service);
    }

    @Test
    void sequentialWaveAllHealthyThenLabelRollback() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "seq", CORE)) {
            mini.start();
            for (String s : CORE) {
                mini.configure(s, Behaviour.healthy().version("2"));
            }
            mini.configure("admin-api", Behaviour.healthy().version("2").startDelay(Duration.ofSeconds(3)));
            Path json = dir.resolve("r.json");
            Path junit = dir.resolve("r.xml");
            EngineRun run = EngineRun.of(args(mini, "rebuild-wave", "--services", String.join(",", CORE),
                    "--timeout", "20s", "--json", json.toString(), "--junit", junit.toString()));
            assertEquals(0, run.exitCode(), run.all());
            for (String s : CORE) {
                assertEquals("2", version(mini, s), s);
                assertTrue(mini.docker().image(mini.projectName() + "/" + s + ":pre-rebuild").isPresent(), "restore point of " + s);
            }
            JsonNode r = JSON.readTree(json.toFile());
            assertEquals("passed", r.get("result").asText());
            assertEquals(3, r.get("services").size());
            long adminTth = r.get("services").get(2).get("timeToHealthyMs").asLong();
            // The container starts during `up`, the gate after it returns: some of the delay is spent before.
            assertTrue(adminTth >= 1000, "admin-api starts slowly, time-to-healthy was " + adminTth);
            assertTrue(r.get("services").get(0).get("timeToHealthyMs").asLong() < adminTth, "data-api starts at once");
            String xml = Files.readString(junit);
            assertTrue(xml.contains("classname=\"homeiq.services.admin-api\" name=\"http\""), xml);
            assertFalse(xml.contains("<failure"), xml);
            assertTrue(run.out().indexOf("Summary") > run.out().indexOf("healthy after"), "summary comes last");

            EngineRun back = EngineRun.of(args(mini, "rollback", "--label", "pre-rebuild", "--services", "data-api", "--timeout", "20s"));
            assertEquals(0, back.exitCode(), back.all());
            assertEquals("1", version(mini, "data-api"));
            assertEquals("2", version(mini, "admin-api"), "only the selected service goes back");
            assertFalse(mini.docker().images(mini.projectName() + "/data-api").stream().noneMatch(t -> t.contains(":failed-")),
                    "the replaced image is kept as failed-<time>");
        }
    }

    @Test
    void parallelWaveRunsServicesAtTheSameTime() throws Exception {
        List<String> frontend = List.of("health-dashboard", "ai-automation-ui");
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "par", frontend)) {
            mini.start();
            for (String s : frontend) {
                mini.configure(s, Behaviour.healthy().version("2").startDelay(Duration.ofSeconds(2)));
            }
            Path json = dir.resolve("r.json");
            EngineRun run = EngineRun.of(args(mini, "rebuild-wave", "--wave", "d1-frontend", "--max-parallel", "2",
                    "--timeout", "20s", "--json", json.toString()));
            assertEquals(0, run.exitCode(), run.all());
            assertTrue(run.out().contains("parallel, at most 2 at a time"), run.out());
            for (String s : frontend) {
                assertEquals("2", version(mini, s));
            }
            JsonNode r = JSON.readTree(json.toFile());
            long sum = 0;
            for (JsonNode s : r.get("services")) {
                sum += s.get("elapsedMs").asLong();
            }
            long wall = r.get("wallTimeMs").asLong();
            assertTrue(wall < sum, "in parallel the wave (" + wall + " ms) takes less than its services one after another (" + sum + " ms)");
        }
    }

    @Test
    void neverHealthyServiceIsRolledBackAndTheWaveStops() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "never", CORE)) {
            mini.start();
            String adminBefore = mini.containerId("admin-api").orElseThrow();
            mini.configure("data-api", Behaviour.healthy().version("2"));
            mini.configure("websocket-ingestion", Behaviour.healthy().version("2").neverGetsHealthy());
            mini.configure("admin-api", Behaviour.healthy().version("2"));
            Path json = dir.resolve("r.json");
            Path junit = dir.resolve("r.xml");
            EngineRun run = EngineRun.of(args(mini, "rebuild-wave", "--services", String.join(",", CORE),
                    "--timeout", "4s", "--json", json.toString(), "--junit", junit.toString()));
            assertEquals(1, run.exitCode(), run.all());
            assertEquals("2", version(mini, "data-api"), "healthy before the failure: kept");
            assertEquals("1", version(mini, "websocket-ingestion"), "rolled back: the old version serves again");
            assertEquals("1", version(mini, "admin-api"), "after the failure: not touched");
            assertEquals(adminBefore, mini.containerId("admin-api").orElseThrow(), "admin-api's container was not recreated");
            assertTrue(mini.docker().images(mini.projectName() + "/websocket-ingestion").stream().anyMatch(t -> t.contains(":failed-")));
            JsonNode ws = JSON.readTree(json.toFile()).get("services").get(1);
            assertEquals("rolled back", ws.get("status").asText());
            assertTrue(ws.get("reason").asText().contains("HTTP 404"), ws.toString());
            assertTrue(ws.get("recoveryMs").asLong() > 0);
            String out = run.out();
            assertTrue(out.contains("FAILED websocket-ingestion"), out);
            assertTrue(out.contains("expected: 2xx from http://127.0.0.1:" + (8001 + TestStack.PORT_OFFSET) + "/health"), out);
            assertTrue(out.contains("not ready"), "the container's last log lines are shown: " + out);
            String xml = Files.readString(junit);
            assertTrue(xml.contains("<failure message=\"timed out after 4s: http: expected 2xx"), xml);
            assertTrue(xml.contains("<system-out>"), xml);
        }
    }

    @Test
    void crashInsideTheStabilityWindowFailsFast() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "crash", List.of("data-api"))) {
            mini.start();
            mini.configure("data-api", Behaviour.healthy().version("2").crashAfter(Duration.ofMillis(1500)));
            Path json = dir.resolve("r.json");
            EngineRun run = EngineRun.of(args(mini, "rebuild-wave", "--services", "data-api",
                    "--stability-window", "4s", "--timeout", "120s", "--json", json.toString()));
            assertEquals(1, run.exitCode(), run.all());
            JsonNode entry = JSON.readTree(json.toFile()).get("services").get(0);
            // Failing fast: "unhealthy" (the container restarted or exited), never "timed out".
            String reason = entry.get("reason").asText();
            assertTrue(reason.startsWith("restarts:") || reason.startsWith("running:"), reason);
            assertTrue(entry.get("timeToHealthyMs").asLong() > 0, "it was healthy before it crashed");
            assertEquals("rolled back", entry.get("status").asText());
            assertTrue(run.out().contains("fatal error, exiting"), "log lines of the crash: " + run.out());
            assertEquals("1", version(mini, "data-api"));
        }
    }

    @Test
    void buildFailureLeavesTheRunningServiceAlone() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "build", List.of("data-api"))) {
            mini.start();
            String before = mini.containerId("data-api").orElseThrow();
            mini.configure("data-api", Behaviour.healthy().version("2").failsToBuild());
            EngineRun run = EngineRun.of(args(mini, "rebuild-wave", "--services", "data-api", "--timeout", "20s"));
            assertEquals(1, run.exitCode(), run.all());
            assertTrue(run.out().contains("build failed"), run.out());
            assertTrue(run.out().contains("missing-on-purpose"), "the build's own error is shown: " + run.out());
            assertEquals(before, mini.containerId("data-api").orElseThrow());
            assertEquals("1", version(mini, "data-api"));
        }
    }

    @Test
    void healthGateFindsErrorLinesInTheLog() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "gate", List.of("data-api", "jaeger"))) {
            mini.configure("data-api", Behaviour.healthy().logLine("ERROR cannot open /data/db.sqlite with password hunter2-secret"));
            mini.configure("jaeger", Behaviour.healthy().withDockerHealthcheck());
            mini.start();
            Path env = dir.resolve("homeiq.env");
            Files.writeString(env, "# rendered by dotenv\nSQLITE_PASSWORD=hunter2-secret\n");
            Path baseline = dir.resolve("baseline.json");
            EngineRun ok = EngineRun.of(args(mini, "health-gate", "--services", "data-api,jaeger", "--timeout", "20s",
                    "--save-baseline", baseline.toString()));
            assertEquals(0, ok.exitCode(), ok.all());
            assertTrue(Files.readString(baseline).contains("\"jaeger\""), Files.readString(baseline));
            // Same services, same load: within the tolerance of their own baseline (generous on a busy CI host).
            EngineRun same = EngineRun.of(args(mini, "health-gate", "--services", "data-api,jaeger", "--timeout", "20s",
                    "--baseline", baseline.toString(), "--latency-tolerance", "500", "--json", dir.resolve("b.json").toString()));
            assertEquals(0, same.exitCode(), same.all());
            assertTrue(Files.readString(dir.resolve("b.json")).contains("\"latency\""), "latency is a check of its own");
            assertTrue(ok.out().contains("ok   jaeger: healthy after"), ok.out());
            Path junit = dir.resolve("gate.xml");
            EngineRun bad = EngineRun.of(args(mini, "health-gate", "--services", "data-api,jaeger", "--timeout", "20s",
                    "--log-lines", "50", "--error-pattern", "(?i)error", "--env-file", env.toString(), "--junit", junit.toString()));
            assertEquals(1, bad.exitCode(), bad.all());
            assertTrue(bad.out().contains("ERROR cannot open /data/db.sqlite with password ****"), bad.out());
            assertTrue(bad.out().contains("log-errors"), bad.out());
            assertFalse(bad.all().contains("hunter2-secret"), "a value of the env file reached the log");
            String xml = Files.readString(junit);
            assertTrue(xml.contains("name=\"docker-health\""), "jaeger's HEALTHCHECK is a check of its own: " + xml);
            assertFalse(xml.contains("hunter2-secret"), "a value of the env file reached the JUnit report");
        }
    }

    @Test
    void daemonUnreachableIsAnEnvironmentError() throws Exception {
        Path p = dir.resolve("p");
        Files.createDirectories(p);
        Files.writeString(p.resolve("docker-compose.yml"), "services:\n  data-api:\n    image: x\n");
        Path out = dir.resolve("out.txt");
        Process proc = EngineProcess.start(Map.of("DOCKER_HOST", "unix:///nonexistent/homeiq-test.sock"), out,
                "health-gate", "--project-dir", p.toString(), "--services", "data-api");
        assertTrue(proc.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        String text = Files.readString(out);
        assertEquals(3, proc.exitValue(), text);
        assertTrue(text.contains("Docker daemon is unreachable at unix:///nonexistent/homeiq-test.sock"), text);
    }

    @Test
    void killedMidWaveThenRollbackFromTheJournalRestoresEveryTouchedService() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "kill", CORE)) {
            mini.start();
            mini.configure("data-api", Behaviour.healthy().version("2"));
            mini.configure("websocket-ingestion", Behaviour.healthy().version("2").startDelay(Duration.ofMinutes(5)));
            Path out = dir.resolve("engine.txt");
            Process engine = EngineProcess.start(Map.of(), out, args(mini, "rebuild-wave", "--services", String.join(",", CORE),
                    "--timeout", "120s"));
            Path journalDir = mini.projectDir().resolve(".homeiq/journal");
            try {
                Await.until("the engine deployed websocket-ingestion", Duration.ofSeconds(90), () -> journalShows(journalDir, "websocket-ingestion", "deployed"));
            } finally {
                engine.destroyForcibly();
                engine.waitFor();
            }
            assertEquals("2", version(mini, "data-api"));
            assertNotEquals("1", mini.version("websocket-ingestion").orElse("none"));

            EngineRun back = EngineRun.of(args(mini, "rollback", "--journal", "latest", "--timeout", "20s"));
            assertEquals(0, back.exitCode(), back.all() + "\nengine output:\n" + Files.readString(out));
            assertTrue(back.out().contains("did not finish"), back.out());
            for (String s : CORE) {
                assertEquals("1", version(mini, s), s);
            }
            long failedTags = mini.docker().images(mini.projectName() + "/*").stream().filter(t -> t.contains(":failed-")).count();
            assertEquals(2, failedTags, "data-api's and websocket-ingestion's new images kept for diagnosis");

            EngineRun again = EngineRun.of(args(mini, "rollback", "--journal", "latest", "--timeout", "20s"));
            assertEquals(0, again.exitCode(), again.all());
            for (String s : CORE) {
                assertEquals("1", version(mini, s), s);
            }
            assertEquals(failedTags, mini.docker().images(mini.projectName() + "/*").stream().filter(t -> t.contains(":failed-")).count(),
                    "a second rollback changes nothing");
        }
    }

    private static boolean journalShows(Path journalDir, String service, String event) {
        try (var files = Files.list(journalDir)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.contains("\"event\":\"" + event + "\"") && line.contains("\"service\":\"" + service + "\"")) {
                        return true;
                    }
                }
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }
}
