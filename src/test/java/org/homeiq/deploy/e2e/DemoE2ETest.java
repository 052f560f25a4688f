package org.homeiq.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.homeiq.deploy.cli.EngineRun;
import org.homeiq.deploy.docker.EngineApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoE2ETest {
    @TempDir
    Path dir;

    @Test
    @DockerTest
    void demoRunsDayOneShowsTheRollbackAndCleansUp() {
        EngineRun run = EngineRun.of("demo", "--stability-window", "1s");
        assertEquals(0, run.exitCode(), run.all());
        String out = run.out();
        assertTrue(out.contains("== wave d1-infra"), out);
        assertTrue(out.contains("== wave d1-frontend"), out);
        assertTrue(out.contains("admin-api answers /version with '2' after the rollback"), out);
        Matcher figures = Pattern.compile("demo-figures: day1WallMs=(\\d+) sumTimeToHealthyMs=(\\d+) recoveryMs=(\\d+)").matcher(out);
        assertTrue(figures.find(), out);
        System.out.println("demo figures: " + figures.group());
        Matcher project = Pattern.compile("project (homeiq-demo-[a-z0-9]+) in").matcher(out);
        assertTrue(project.find(), out);
        try (var docker = EngineApi.connect()) {
            assertTrue(docker.images(project.group(1) + "/*").isEmpty(), "demo images left behind");
            assertTrue(docker.containers(Map.of("com.docker.compose.project", project.group(1))).isEmpty(), "demo containers left behind");
        }
    }

    @Test
    void withoutDockerTheDemoSaysSoAndShowsThePlan() throws Exception {
        Path out = dir.resolve("out.txt");
        Process p = EngineProcess.start(Map.of("DOCKER_HOST", "unix:///nonexistent/homeiq-test.sock"), out, "demo");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("no Docker engine"), text);
        assertTrue(text.contains("Day 1: Infrastructure & Core Services"), text);
        assertTrue(text.contains("wave d1-core"), text);
    }
}
