package org.homeiq.deploy.wave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.InMemoryDocker;
import org.homeiq.deploy.docker.InMemoryDocker.Script;
import org.homeiq.deploy.docker.TestServices;
import org.homeiq.deploy.health.GateOptions;
import org.homeiq.deploy.health.Watcher;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.model.WaveMode;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.RunReport;
import org.homeiq.deploy.secrets.Masker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wave logic against the in-memory Docker: overlap, late failures, builds ahead, failed up, rollback budgets. */
class RolloutTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, new Masker());
    private InMemoryDocker docker;
    private Watcher watcher;
    private RunReport report;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    private InMemoryDocker stack(List<Service> services) {
        docker = new InMemoryDocker("proj", services);
        watcher = new Watcher(docker, "proj", docker, console);
        return docker;
    }

    private static GateOptions gate(Duration window, Duration timeout) {
        return new GateOptions("deploy", window, 0, null, timeout, Duration.ofMillis(20), Duration.ofSeconds(3), null, null, false);
    }

    private static Rollout.Step step(String id, WaveMode mode, List<Service> services, GateOptions gate) {
        return new Rollout.Step(new Wave(id, id, "", mode, services.stream().map(Service::name).toList(), "deploy"), mode, services, gate);
    }

    private boolean run(FailurePolicy policy, Integer maxParallel, int maxBuilds, Rollout.Step... steps) throws Exception {
        Path compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, "services: {}\n");
        Journal journal = Journal.start(dir.resolve("state"), "rebuild-wave test", List.of(), "pre-rebuild");
        report = new RunReport("rebuild-wave test");
        var rollout = new Rollout(docker, docker, ComposeFile.read(compose), watcher, console, journal, report,
                new Rollout.Settings(false, policy, maxParallel, maxBuilds, "pre-rebuild"));
        return rollout.run(List.of(steps));
    }

    private RunReport.Entry entry(String service) {
        return report.entries().stream().filter(e -> e.service().equals(service)).findFirst().orElseThrow();
    }

    private Map<String, String> versions(List<Service> services) {
        return services.stream().collect(Collectors.toMap(Service::name, s -> docker.version(s.name()).orElse("down")));
    }

    @Test
    void theNextServiceStartsWhenThePreviousIsHealthyNotWhenItsWindowHasPassed() throws Exception {
        Service a = TestServices.service("data-api");
        Service b = TestServices.service("admin-api", "data-api");
        stack(List.of(a, b));
        docker.script("data-api", Script.healthy().version("2")).script("admin-api", Script.healthy().version("2"));
        assertTrue(run(FailurePolicy.ROLLBACK, 1, 2, step("core", WaveMode.SEQUENTIAL, List.of(a, b), gate(Duration.ofMillis(800), Duration.ofSeconds(5)))));
        Instant bDeploys = entry("admin-api").at("deploying");
        Instant aWindowPassed = entry("data-api").at("window-passed");
        assertTrue(bDeploys.isBefore(aWindowPassed), "admin-api deployed at " + bDeploys + ", data-api's window passed at " + aWindowPassed);
        assertTrue(entry("data-api").at("healthy").isBefore(bDeploys), "promoted first");
        assertEquals(Map.of("data-api", "2", "admin-api", "2"), versions(List.of(a, b)));
        for (String s : List.of("data-api", "admin-api")) {
            RunReport.Entry e = entry(s);
            assertEquals("healthy", e.status());
            for (String ev : List.of("build-started", "built", "deploying", "container-started", "old-stopped", "healthy", "window-passed")) {
                assertNotNull(e.at(ev), s + " has no " + ev + " in its timeline");
            }
        }
    }

    @Test
    void aCrashInABackgroundWindowRollsBackThatServiceAndItsDependantsDeployedAfterItAndNothingElse() throws Exception {
        Service early = TestServices.service("early", "data-api"); // depends on it, but deployed before: left alone
        Service a = TestServices.service("data-api");
        Service b = TestServices.service("websocket-ingestion", "data-api");
        Service c = TestServices.service("weather-api");
        Service d = TestServices.service("admin-api", "websocket-ingestion"); // through b
        List<Service> all = List.of(early, a, b, c, d);
        stack(all);
        for (Service s : all) {
            docker.script(s.name(), Script.healthy().version("2"));
        }
        docker.script("data-api", Script.healthy().version("2").crashAfter(Duration.ofMillis(1200)));
        boolean ok = run(FailurePolicy.ROLLBACK, 1, 2, step("core", WaveMode.SEQUENTIAL, all, gate(Duration.ofSeconds(4), Duration.ofSeconds(5))));
        assertFalse(ok);
        assertTrue(entry("admin-api").at("healthy").isBefore(entry("data-api").at("failed")), "everything was promoted before the crash");
        assertEquals(Map.of("early", "2", "data-api", "1", "websocket-ingestion", "1", "weather-api", "2", "admin-api", "1"), versions(all));
        assertEquals("rolled back", entry("data-api").status());
        assertTrue(entry("data-api").reason().startsWith("running: expected running, saw exited (exit code 1)"), entry("data-api").reason());
        assertTrue(entry("data-api").reason().contains("stability window"), entry("data-api").reason());
        assertEquals("rolled back", entry("websocket-ingestion").status());
        assertTrue(entry("websocket-ingestion").reason().contains("depends on data-api"), entry("websocket-ingestion").reason());
        assertEquals("rolled back", entry("admin-api").status());
        assertEquals("healthy", entry("weather-api").status());
        assertEquals("healthy", entry("early").status());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("websocket-ingestion: rolling back too: it depends on data-api"), out.toString());
    }

    @Test
    void aBuildFailureSkipsItsDependantsAndTheOthersGoOn() throws Exception {
        Service a = TestServices.service("data-api");
        Service b = TestServices.service("admin-api", "data-api");
        Service c = TestServices.service("weather-api");
        List<Service> all = List.of(a, b, c);
        stack(all);
        docker.script("data-api", Script.healthy().version("2").failsToBuild())
                .script("admin-api", Script.healthy().version("2"))
                .script("weather-api", Script.healthy().version("2"));
        assertFalse(run(FailurePolicy.CONTINUE, 1, 2, step("core", WaveMode.SEQUENTIAL, all, gate(Duration.ofMillis(100), Duration.ofSeconds(5)))));
        assertEquals(Map.of("data-api", "1", "admin-api", "1", "weather-api", "2"), versions(all));
        assertEquals("build failed", entry("data-api").status());
        assertEquals("skipped", entry("admin-api").status());
        assertTrue(entry("admin-api").reason().contains("depends on data-api, which failed"), entry("admin-api").reason());
        assertTrue(docker.first("up", "admin-api").isEmpty(), "a skipped service is not deployed");
        assertEquals("healthy", entry("weather-api").status());
    }

    /** A stack of {@code n} services named prefix0, prefix1, ..., each of whose version 2 follows the script. */
    private List<Service> services(String prefix, int n, Script version2) {
        var all = new ArrayList<Service>();
        for (int i = 0; i < n; i++) {
            all.add(TestServices.service(prefix + i));
        }
        stack(all);
        for (Service s : all) {
            docker.script(s.name(), version2);
        }
        return all;
    }

    @Test
    void imagesAreBuiltAheadBoundedByMaxBuilds() throws Exception {
        List<Service> all = services("s", 6, Script.healthy().version("2").buildTime(Duration.ofMillis(150)));
        assertTrue(run(FailurePolicy.ROLLBACK, 1, 2, step("w", WaveMode.SEQUENTIAL, all, gate(Duration.ofMillis(100), Duration.ofSeconds(5)))));
        assertEquals(2, docker.maxBuildsAtOnce(), "two builds at a time, never more");
        assertTrue(docker.first("build-start", "s1").orElseThrow().isBefore(docker.first("up", "s0").orElseThrow()),
                "s1 is built while s0 waits for its slot");
        List<String> ups = docker.ops().stream().filter(o -> o.what().equals("up")).map(InMemoryDocker.Op::service).toList();
        assertEquals(all.stream().map(Service::name).toList(), ups, "deploy order unchanged");
    }

    @Test
    void withoutABoundAParallelWaveDeploysEveryServiceAtOnce() throws Exception {
        List<Service> all = services("p", 5, Script.healthy().version("2").startDelay(Duration.ofSeconds(2)));
        assertTrue(run(FailurePolicy.ROLLBACK, null, 5, step("par", WaveMode.PARALLEL, all, gate(Duration.ofMillis(100), Duration.ofSeconds(10)))));
        Instant lastDeploy = report.entries().stream().map(e -> e.at("deploying")).max(Instant::compareTo).orElseThrow();
        Instant firstHealthy = report.entries().stream().map(e -> e.at("healthy")).min(Instant::compareTo).orElseThrow();
        assertTrue(lastDeploy.isBefore(firstHealthy), "all five deploying before the first is healthy: " + lastDeploy + " vs " + firstHealthy);
    }

    @Test
    void maxParallelBoundsTheDeploysInFlightOfAParallelWave() throws Exception {
        List<Service> all = services("p", 5, Script.healthy().version("2").startDelay(Duration.ofMillis(300)));
        assertTrue(run(FailurePolicy.ROLLBACK, 2, 5, step("par", WaveMode.PARALLEL, all, gate(Duration.ofMillis(100), Duration.ofSeconds(5)))));
        int most = 0;
        for (RunReport.Entry e : report.entries()) {
            Instant t = e.at("deploying");
            int inFlight = (int) report.entries().stream().filter(o -> !o.at("deploying").isAfter(t) && o.at("healthy").isAfter(t)).count();
            most = Math.max(most, inFlight);
        }
        assertEquals(2, most, "at most two deploys between up and healthy at any moment");
    }

    @Test
    void dockerUnhealthyBeforeHealthyPassesWithinTheTimeout() throws Exception {
        Service j = TestServices.service("jaeger");
        stack(List.of(j));
        docker.script("jaeger", Script.healthy().version("2").unhealthyFirst(Duration.ofMillis(500)));
        assertTrue(run(FailurePolicy.ROLLBACK, 1, 1, step("infra", WaveMode.SEQUENTIAL, List.of(j), gate(Duration.ofMillis(100), Duration.ofSeconds(4)))));
        assertEquals("2", docker.version("jaeger").orElseThrow());
    }

    @Test
    void aFailedUpPutsThePreviousContainerBackAndGatesIt() throws Exception {
        Service a = TestServices.service("data-api");
        stack(List.of(a));
        String before = docker.runningContainerId("data-api").orElseThrow();
        docker.script("data-api", Script.healthy().version("2").failsToComeUp());
        assertFalse(run(FailurePolicy.ROLLBACK, 1, 1, step("core", WaveMode.SEQUENTIAL, List.of(a), gate(Duration.ofMillis(100), Duration.ofSeconds(4)))));
        assertEquals(before, docker.runningContainerId("data-api").orElseThrow(), "the previous container runs again");
        assertEquals("1", docker.version("data-api").orElseThrow());
        assertEquals("restored", entry("data-api").status());
        assertTrue(entry("data-api").reason().startsWith("deploy: expected up -d --no-deps succeeds"), entry("data-api").reason());
    }

    @Test
    void aStartRefusedAfterCreateRemovesTheNewContainerAndStartsThePreviousOne() throws Exception {
        Service a = TestServices.service("data-api");
        stack(List.of(a));
        String before = docker.runningContainerId("data-api").orElseThrow();
        docker.script("data-api", Script.healthy().version("2")).refuseStart("data-api");
        assertFalse(run(FailurePolicy.ROLLBACK, 1, 1, step("core", WaveMode.SEQUENTIAL, List.of(a), gate(Duration.ofMillis(100), Duration.ofSeconds(4)))));
        assertEquals(before, docker.runningContainerId("data-api").orElseThrow(), "the previous container runs again");
        assertEquals("1", docker.version("data-api").orElseThrow());
        assertEquals("restored", entry("data-api").status(), entry("data-api").actions().toString());
        assertTrue(entry("data-api").actions().stream().anyMatch(x -> x.contains("which never started")), entry("data-api").actions().toString());
    }

    @Test
    void whenEvenThePreviousContainerCannotComeBackTheReportSaysDown() throws Exception {
        Service a = TestServices.service("data-api");
        stack(List.of(a));
        docker.script("data-api", Script.healthy().version("2")).breakCompose("data-api");
        assertFalse(run(FailurePolicy.ROLLBACK, 1, 1, step("core", WaveMode.SEQUENTIAL, List.of(a), gate(Duration.ofMillis(100), Duration.ofSeconds(4)))));
        assertEquals("DOWN", entry("data-api").status());
        assertTrue(entry("data-api").actions().stream().anyMatch(x -> x.startsWith("DOWN:")), entry("data-api").actions().toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("DOWN data-api:"), out.toString());
    }

    @Test
    void theRollbackRecheckUsesTheRestorePointsOwnTimeBudget() throws Exception {
        Service a = TestServices.service("data-api"); // the inventory's wait: 5 s
        stack(List.of(a));
        docker.current("data-api", Script.healthy().startDelay(Duration.ofMillis(900))); // slower than --timeout
        docker.script("data-api", Script.healthy().version("2").neverGetsHealthy());
        assertFalse(run(FailurePolicy.ROLLBACK, 1, 1, step("core", WaveMode.SEQUENTIAL, List.of(a), gate(Duration.ofMillis(600), Duration.ofMillis(500)))));
        assertEquals("rolled back", entry("data-api").status(), entry("data-api").actions().toString());
        assertEquals("1", docker.version("data-api").orElseThrow());
        assertTrue(entry("data-api").recovery().toMillis() >= 900, "recovery " + entry("data-api").recovery());
    }

    @Test
    void aTimeoutShorterThanTheWindowIsFine() throws Exception {
        Service a = TestServices.service("data-api");
        stack(List.of(a));
        docker.script("data-api", Script.healthy().version("2").startDelay(Duration.ofMillis(100)));
        assertTrue(run(FailurePolicy.ROLLBACK, 1, 1, step("core", WaveMode.SEQUENTIAL, List.of(a), gate(Duration.ofMillis(900), Duration.ofMillis(500)))));
        assertEquals("healthy", entry("data-api").status());
    }
}
