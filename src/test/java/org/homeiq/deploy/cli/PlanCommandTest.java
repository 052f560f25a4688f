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
        // d1-core: 4 services x (30 s wait + 30 s stability), sequential.
        assertTrue(out.contains("time budget: at most 4m (the plan sleeps 2m whatever happens)"), out);
        assertTrue(out.contains("Day 1 total: at most"), out);
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
        assertEquals(360, first.get("timeBudgetSeconds").asInt());
        assertEquals(100, root.get("gates").get("deploy-ai").get("logLines").asInt());
    }

    @Test
    void parallelWaveTakesAsLongAsItsSlowestService() {
        EngineRun run = EngineRun.of("plan", "--project-dir", dir.toString(), "--phase", "2");
        assertEquals(0, run.exitCode(), run.all());
        // p2-analytics-batch5: parallel, 30 s waits + 2 h stability (phase2 gate) = 2h00m30s at most.
        assertTrue(run.out().contains("wave p2-analytics-batch5: 2.7 Rebuild analytics services (batch 5)"), run.out());
        assertTrue(run.out().contains("parallel, 2 services"), run.out());
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
