package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the real-Jenkins test (JenkinsfileExampleIT) runs for one day only, checked for all five
 * in milliseconds: each day's stage of Jenkinsfile.example runs the plan's waves, in order, with
 * their gates, approves the day outside the Docker agent and rolls the same day back.
 */
class JenkinsfileExampleShapeTest {
    private static final Pattern WAVE = Pattern.compile("wave\\('([^']+)', '([^']+)'\\)");

    static String dayBlock(int day) throws Exception {
        String example = Files.readString(Path.of("Jenkinsfile.example"));
        int start = example.indexOf("stage('Day " + day + ":");
        assertTrue(start >= 0, "Jenkinsfile.example has a stage for day " + day);
        int end = example.indexOf("stage('Day " + (day + 1) + ":", start);
        return example.substring(start, end < 0 ? example.indexOf("// ----- the pieces", start) : end);
    }

    static List<String> planWaves(int day) throws Exception {
        var out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
                "plan", "--day", String.valueOf(day), "--format", "json"));
        var waves = new ArrayList<String>();
        for (JsonNode stage : new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).path("stages")) {
            for (JsonNode w : stage.path("waves")) {
                waves.add(w.path("id").asText() + " gate " + w.path("gate").asText());
            }
        }
        return waves;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void eachDayRunsThePlansWavesInOrderWithTheirGates(int day) throws Exception {
        String block = dayBlock(day);
        var waves = new ArrayList<String>();
        Matcher m = WAVE.matcher(block);
        while (m.find()) {
            waves.add(m.group(1) + " gate " + m.group(2));
        }
        assertEquals(planWaves(day), waves);
        assertTrue(block.contains("approve(" + day + ")") && block.contains("rollbackDay(" + day + ")"), block);
        // The approval comes before the only agent of the day: it waits holding no executor.
        assertTrue(block.indexOf("approve(" + day + ")") < block.indexOf("agent { label 'homeiq-docker' }"), block);
    }

    @Test
    void needsNoLockableResourcesAndTakesNoAgentAtTheTop() throws Exception {
        String example = Files.readString(Path.of("Jenkinsfile.example"));
        assertFalse(example.contains("lock("), "lockable-resources is not in the Pipeline suite");
        assertTrue(example.contains("pipeline {\n    agent none"), "top-level agent none");
    }
}
