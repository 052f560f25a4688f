package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.secrets.Masker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --result FILE}: the one file a pipeline step reads, written for every exit. */
class ResultFileTest {
    @TempDir
    Path dir;

    JsonNode read(Path file) throws IOException {
        return new ObjectMapper().readTree(Files.readString(file));
    }

    @Test
    void exitZeroSaysWhatTheCommandSaidLast() throws IOException {
        Path result = dir.resolve("r.json");
        EngineRun run = EngineRun.of("--result", result.toString(), "plan", "--day", "1");
        assertEquals(0, run.exitCode(), run.all());
        JsonNode r = read(result);
        assertEquals(0, r.get("exitCode").asInt());
        assertEquals("plan", r.get("command").asText());
        assertTrue(r.get("failure").isNull());
        assertTrue(!r.get("outcome").asText().isBlank(), r.toString());
    }

    @Test
    void badOptionIsOneLineOfConfigurationErrorAndNothingChanged() throws IOException {
        Path result = dir.resolve("r.json");
        Path json = dir.resolve("gate.json");
        EngineRun run = EngineRun.of("--result", result.toString(), "health-gate", "--all", "--timeout", "soon",
                "--json", json.toString());
        assertEquals(2, run.exitCode(), run.all());
        JsonNode r = read(result);
        assertEquals(2, r.get("exitCode").asInt());
        assertEquals("health-gate", r.get("command").asText());
        assertTrue(r.get("outcome").asText().startsWith("configuration error: "), r.toString());
        assertTrue(r.get("outcome").asText().contains("soon"), r.toString());
        assertTrue(r.get("failure").asText().contains("nothing was changed"), r.toString());
    }

    @Test
    void aRunThatStopsBeforeItsReportStillWritesTheJsonItWasAskedFor() throws IOException {
        // What Main does for exit 2/3 after a Docker command threw: its --json says how it ended.
        Path json = dir.resolve("wave.json");
        DockerOptions options = new DockerOptions();
        options.json = json;
        options.publishUnfinished("rebuild-wave", ExitCode.ENVIRONMENT, new Console(System.out, System.err, new Masker()));
        JsonNode j = read(json);
        assertEquals(3, j.get("exitCode").asInt());
        assertEquals("failed", j.get("result").asText());
        assertNull(options.published);
    }

    @Test
    void withoutResultNothingIsWritten() throws IOException {
        EngineRun run = EngineRun.of("plan", "--day", "1");
        assertEquals(0, run.exitCode());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
