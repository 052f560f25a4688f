package org.homeiq.deploy.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.homeiq.deploy.cli.EngineRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code validate} finds. The example overlay in docs/ fixes every error of the bundled plan,
 * so each test adds one fault to it and looks for exactly that finding.
 */
class ValidateCommandTest {
    private static final String FIXED = Path.of("docs/examples/homeiq-deploy.yaml").toAbsolutePath().toString();

    @TempDir
    Path dir;

    private EngineRun validate(String... extra) {
        var args = new ArrayList<>(List.of("validate", "--project-dir", dir.toString(), "--inventory", FIXED));
        args.addAll(List.of(extra));
        return EngineRun.of(args.toArray(String[]::new));
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void bundledPlanBreaksItsOwnDependencyMap() {
        EngineRun run = EngineRun.of("validate", "--project-dir", dir.toString());
        assertEquals(2, run.exitCode(), run.all());
        String out = run.out();
        assertTrue(out.contains("error [port-clash] host port 8030 is claimed by ai-code-executor and ha-ai-agent-service"), out);
        assertTrue(out.contains("error [port-clash] host port 8031 is claimed by proactive-agent-service and ner-service"), out);
        assertTrue(out.contains("error [deploy-order] ai-pattern-service is deployed in Day 3 (d3-ai-core, morning) but depends on ml-service, which comes later in Day 3 (d3-ml, afternoon)"), out);
        assertTrue(out.contains("error [deploy-order] ai-automation-ui is deployed in Day 1"), out);
        assertTrue(out.contains("warning [short-name] admin-api depends on 'websocket': read as websocket-ingestion"), out);
        assertTrue(out.contains("warning [never-rebuilt] observability-dashboard"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("resources/homeiq/plan.yaml:") && l.contains("deploy-order")), out);
        assertTrue(out.contains("validate: 14 errors"), out);
    }

    @Test
    void theExampleOverlayFixesEveryError() {
        EngineRun run = validate();
        assertEquals(0, run.exitCode(), run.all());
        assertFalse(run.out().contains("error ["), run.out());
        assertTrue(run.out().contains("validate: 0 errors"), run.out());
    }

    @Test
    void dependencyCycleIsAnError() throws IOException {
        Path f = write("cycle.yaml", "services:\n  influxdb:\n    dependsOn: [jaeger]\n  jaeger:\n    dependsOn: [influxdb]\n");
        EngineRun run = validate("--plan", f.toString());
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.out().contains("error [dependency-cycle] dependency cycle influxdb -> jaeger -> influxdb"), run.out());
    }

    @Test
    void unknownAndAmbiguousDependenciesNameTheOverlayLine() throws IOException {
        Path f = write("deps.yaml", "services:\n  data-api:\n    dependsOn:\n      - redis\n      - device\n");
        EngineRun run = validate("--plan", f.toString());
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.out().contains(f + ":4: error [unknown-dependency] data-api depends on 'redis', which names no service"), run.out());
        assertTrue(run.out().contains(f + ":5: error [unknown-dependency] data-api depends on 'device', which names no service (ambiguous: device-intelligence-service, device-health-monitor"), run.out());
    }

    @Test
    void aServiceNoDayDeploysIsAWarningOnly() throws IOException {
        Path f = write("extra.yaml", "services:\n  mqtt-bridge:\n    group: custom\n    port: 8090\n");
        EngineRun run = validate("--plan", f.toString());
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.out().contains(f + ":2: warning [never-deployed] mqtt-bridge is in the inventory but no deployment day deploys it"), run.out());
    }

    @Test
    void composeFileIsCheckedForMissingServicesAndPorts() throws IOException {
        var compose = new StringBuilder("services:\n");
        // Every planned service, on its inventory port, except data-api (wrong port) and jaeger (missing).
        String inventory = Files.readString(Path.of("resources/homeiq/inventory.yaml"));
        for (String line : inventory.lines().toList()) {
            var m = java.util.regex.Pattern.compile("^  ([a-z][a-z0-9-]+):$").matcher(line);
            if (m.matches() && !m.group(1).equals("jaeger")) {
                compose.append("  ").append(m.group(1)).append(":\n    build: ./services/").append(m.group(1)).append('\n');
            }
        }
        compose.append("  data-api-ports:\n    image: x\n");
        String text = compose.toString().replace("  data-api:\n    build: ./services/data-api\n",
                "  data-api:\n    build: ./services/data-api\n    ports:\n      - \"9006:8006\"\n");
        write("docker-compose.yml", text);
        EngineRun run = validate();
        assertEquals(2, run.exitCode(), run.all());
        String out = run.out();
        assertTrue(out.contains("error [port-mismatch] data-api publishes [9006]"), out);
        assertTrue(out.contains("checks its health on port 8006"), out);
        assertTrue(out.contains("info [absent-in-compose] 1 of the plan's"), out);
        assertTrue(out.contains("(jaeger): --all, --day, --phase and --wave skip them"), out);
        assertTrue(out.contains("warning [not-in-inventory] data-api-ports"), out);
        assertFalse(out.contains("data-api is rebuilt by the plan but has no 'build:'"), out);
    }

    @Test
    void jsonFormatListsEveryFinding() throws IOException {
        EngineRun run = EngineRun.of("validate", "--project-dir", dir.toString(), "--format", "json");
        assertEquals(2, run.exitCode(), run.all());
        JsonNode root = new ObjectMapper().readTree(run.out());
        assertEquals(14, root.get("errors").asInt());
        JsonNode first = root.get("findings").get(0);
        assertEquals("error", first.get("severity").asText());
        assertTrue(first.get("where").asText().startsWith("resources/homeiq/"), first.toString());
        assertTrue(first.get("services").isArray());
    }
}
