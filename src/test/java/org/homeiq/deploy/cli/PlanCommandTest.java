package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
    @TempDir
    Path dir;

    @Test
    void dayOneShowsWavesInOrderWithModeGateAndBudget() {
        EngineRun run = EngineRun.of("plan", "--project-dir", dir.toString(), "--day", "1");
        assertEquals(0, run.exitCode(), run.all());
        String out = run.out();
        assertTrue(out.startsWith("Day 1: Infrastructure & Core Services"), out);
        int infra = out.indexOf("wave d1-infra (morning)");
        int core = out.indexOf("wave d1-core (morning)");
        int front = out.indexOf("wave d1-frontend (afternoon)");
        assertTrue(infra >= 0 && infra < core && core < front, out);
        assertTrue(out.contains(" 1. data-api "), out);
        assertTrue(out.contains("restart  http://localhost:8086/health"), out);
        assertTrue(out.contains("sequential, 4 services, gate 'deploy': /health 2xx, no restart for 30s"), out);
        // d1-core: 4 services x 30 s wait, sequential, then one 30 s window (windows overlap the next deploys).
        assertTrue(out.contains("time budget: at most 2m30s (healthy within 2m, then one 30s window that overlaps what follows; "
                + "the plan sleeps 2m whatever happens)"), out);
        // Day 1: 1m + 2m + 30s of deploys one after another, then the last window: 4m, not one window per service.
        assertTrue(out.contains("Day 1 total: at most 4m;"), out);
    }

    @Test
    void jsonGivesApproversTheWavesAndServices() throws IOException {
        EngineRun run = EngineRun.of("plan", "--project-dir", dir.toString(), "--day", "3", "--format", "json");
        assertEquals(0, run.exitCode(), run.all());
        JsonNode root = new ObjectMapper().readTree(run.out());
        JsonNode day = root.get("stages").get(0);
        assertEquals("day", day.get("kind").asText());
        assertEquals(3, day.get("number").asInt());
        var ids = new ArrayList<String>();
        day.get("waves").forEach(w -> ids.add(w.get("id").asText()));
        assertEquals(java.util.List.of("d3-ai-core", "d3-ai-agents", "d3-ml"), ids);
        JsonNode first = day.get("waves").get(0);
        assertEquals("sequential", first.get("mode").asText());
        assertEquals("ai-core-service", first.get("services").get(0).asText());
        assertEquals("deploy-ai", first.get("gate").asText());
        assertEquals(240, first.get("timeBudgetSeconds").asInt(), "3 min of waits, then one 60 s window");
        assertEquals(180, first.get("deployBudgetSeconds").asInt());
        assertEquals(100, root.get("gates").get("deploy-ai").get("logLines").asInt());
    }

    @Test
    void parallelWaveTakesAsLongAsItsSlowestService() {
        EngineRun run = EngineRun.of("plan", "--project-dir", dir.toString(), "--phase", "2");
        assertEquals(0, run.exitCode(), run.all());
        // p2-analytics-batch5: parallel, 30 s waits, then one 2 h window (phase2 gate) = 2h00m30s at most.
        assertTrue(run.out().contains("wave p2-analytics-batch5: 2.7 Rebuild analytics services (batch 5)"), run.out());
        assertTrue(run.out().contains("parallel, 2 services"), run.out());
    }

    @Test
    void aPhaseIsOneObservationOfItsLongWindowAndMaxParallelShortensParallelWaves() throws IOException {
        EngineRun two = EngineRun.of("plan", "--project-dir", dir.toString(), "--phase", "1", "--format", "json", "--max-parallel", "2");
        EngineRun nine = EngineRun.of("plan", "--project-dir", dir.toString(), "--phase", "1", "--format", "json", "--max-parallel", "9");
        assertEquals(0, two.exitCode(), two.all());
        JsonNode p2 = new ObjectMapper().readTree(two.out()).get("stages").get(0);
        JsonNode p9 = new ObjectMapper().readTree(nine.out()).get("stages").get(0);
        // "No service restarts in 1 hour" is watched once for the phase: 1 h plus the deploys, never 1 h per service.
        assertTrue(p2.get("timeBudgetSeconds").asInt() < 2 * 3600, p2.toString());
        assertTrue(p2.get("timeBudgetSeconds").asInt() > 3600, p2.toString());
        JsonNode wave2 = p2.get("waves").get(2);
        JsonNode wave9 = p9.get("waves").get(2);
        assertEquals("p1-data-integrations", wave2.get("id").asText());
        assertTrue(wave9.get("deployBudgetSeconds").asInt() < wave2.get("deployBudgetSeconds").asInt(), wave2 + " vs " + wave9);
        // No bound by default, as rebuild-wave deploys it: all nine at once, the same as --max-parallel 9.
        EngineRun unbounded = EngineRun.of("plan", "--project-dir", dir.toString(), "--phase", "1", "--format", "json");
        JsonNode p0 = new ObjectMapper().readTree(unbounded.out()).get("stages").get(0);
        assertEquals(wave9.get("deployBudgetSeconds"), p0.get("waves").get(2).get("deployBudgetSeconds"), p0.toString());
        assertTrue(p0.get("maxParallel").isNull(), p0.toString());
        EngineRun text = EngineRun.of("plan", "--project-dir", dir.toString(), "--phase", "1");
        assertTrue(text.out().contains("all at once"), text.out());
        assertEquals(2, EngineRun.of("plan", "--project-dir", dir.toString(), "--max-parallel", "0").exitCode());
        EngineRun many = EngineRun.of("plan", "--project-dir", dir.toString(), "--max-parallel", "many");
        assertEquals(2, many.exitCode(), many.all());
        assertTrue(many.err().contains("--max-parallel"), many.err());
    }

    @Test
    void projectFileOverlaysPortsAndHealthHost() throws IOException {
        Files.writeString(dir.resolve("homeiq-deploy.yaml"),
                "defaults:\n  portOffset: 20000\n  healthHost: 127.0.0.1\nservices:\n  data-api:\n    health: {path: /ready}\n");
        EngineRun run = EngineRun.of("plan", "--project-dir", dir.toString(), "--day", "1");
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.out().contains("http://127.0.0.1:28006/ready"), run.out());
        assertTrue(run.out().contains("http://127.0.0.1:28001/health"), run.out());
    }

    @Test
    void everythingByDefault() {
        EngineRun run = EngineRun.of("plan", "--project-dir", dir.toString());
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.out().contains("Phase 0: Pre-Rebuild Preparation"), run.out());
        assertTrue(run.out().contains("Day 5: Analytics & Final Validation"), run.out());
    }
}
