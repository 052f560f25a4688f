package org.homeiq.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.homeiq.deploy.cli.EngineRun;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 items 2 and 3 on a real Docker engine: Docker's {@code unhealthy} before {@code healthy}
 * is not a verdict, and a compose {@code up} that fails after stopping the old container puts it back.
 */
@DockerTest
class FaultE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The health_status events the engine recorded for the stack since {@code since} (its own record, not ours). */
    private static List<String> healthEvents(MiniHomeIq mini, Instant since) {
        String out = mini.dockerCli(Duration.ofSeconds(30), "events", "--since", Long.toString(since.getEpochSecond() - 1),
                "--until", Long.toString(Instant.now().getEpochSecond() + 1),
                "--filter", "label=com.docker.compose.project=" + mini.projectName(), "--filter", "event=health_status",
                "--format", "{{.Status}}").stdout();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void aSlowButHealthyServiceIsNotRolledBackThoughDockerSaidUnhealthyFirst() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "slow", List.of("data-api"))) {
            mini.configure("data-api", Behaviour.healthy().withDockerHealthcheck());
            mini.start();
            Await.until("version 1 healthy", Duration.ofSeconds(60), () -> mini.get("data-api", "/health").isPresent());
            // HEALTHCHECK every 1s, 2 retries, no start period: unhealthy after ~2 s, healthy only after 8 s.
            mini.configure("data-api", Behaviour.healthy().version("2").withDockerHealthcheck().startDelay(Duration.ofSeconds(8)));
            Path json = dir.resolve("r.json");
            Instant began = Instant.now();
            EngineRun run = EngineRun.of(TestStack.args(mini, "rebuild-wave", "--services", "data-api",
                    "--timeout", "40s", "--stability-window", "2s", "--json", json.toString()));
            assertEquals(0, run.exitCode(), run.all());
            List<String> events = healthEvents(mini, began);
            int unhealthy = events.indexOf("health_status: unhealthy");
            assertTrue(unhealthy >= 0, "Docker reported unhealthy during the run (else this test proves nothing): " + events);
            assertTrue(events.subList(unhealthy, events.size()).contains("health_status: healthy"), "and healthy after it: " + events);
            JsonNode data = RunPathE2ETest.service(JSON.readTree(json.toFile()), "data-api");
            assertEquals("healthy", data.get("status").asText(), data.toString());
            long tth = data.get("timeToHealthyMs").asLong();
            assertTrue(tth >= 8000 && tth < 40000, "time-to-healthy after the unhealthy phase, within the budget: " + data);
            assertEquals("2", TestStack.version(mini, "data-api"), "stays on the new version");
        }
    }

    @Test
    void aFailedUpPutsThePreviousContainerBack() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "upfail", List.of("weather-api"))) {
            mini.start();
            assertEquals("1", TestStack.version(mini, "weather-api"));
            String before = mini.containerId("weather-api").orElseThrow();
            mini.configure("weather-api", Behaviour.healthy().version("2"));
            // Valid YAML and a valid build; Docker refuses only at start, after compose v1 stopped and renamed the old container.
            Path composeFile = mini.projectDir().resolve("docker-compose.yml");
            String good = Files.readString(composeFile);
            Files.writeString(composeFile, good.replace("    stop_grace_period: 2s\n",
                    "    stop_grace_period: 2s\n    devices:\n      - /dev/homeiq-missing-device-on-purpose:/dev/x\n"));
            assertTrue(Files.readString(composeFile).contains("devices:"), "the bad value is in the compose file");
            Path json = dir.resolve("r.json");
            EngineRun run = EngineRun.of(TestStack.args(mini, "rebuild-wave", "--services", "weather-api",
                    "--timeout", "30s", "--json", json.toString()));
            assertEquals(1, run.exitCode(), "a failed deploy is a failed check, not an environment problem: " + run.all());
            assertEquals("1", TestStack.version(mini, "weather-api"), "the previous version serves again");
            JsonNode data = RunPathE2ETest.service(JSON.readTree(json.toFile()), "weather-api");
            assertEquals("restored", data.get("status").asText(), data.toString());
            assertEquals(before, mini.containerId("weather-api").orElseThrow(), "the previous container itself runs again");
            assertTrue(data.toString().contains("which never started") && data.toString().contains("started again"),
                    "the report says what was done: " + data);
            assertTrue(run.out().contains("putting the previous container back"), run.out());
            assertTrue(run.out().contains("weather-api: restored"), run.out());
            assertTrue(!run.out().contains("DOWN"), run.out());
        }
    }
}
