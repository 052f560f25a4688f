package org.homeiq.deploy.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.homeiq.deploy.docker.InMemoryDocker;
import org.homeiq.deploy.docker.InMemoryDocker.Script;
import org.homeiq.deploy.docker.TestServices;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.secrets.Masker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watcher against the in-memory Docker: promotion, windows, fail-fast, Docker's transient unhealthy. */
class WatcherTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, new Masker());
    private InMemoryDocker docker;
    private Watcher watcher;

    private Watcher start(List<Service> services) {
        docker = new InMemoryDocker("proj", services);
        watcher = new Watcher(docker, "proj", docker, console);
        return watcher;
    }

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    private static GateOptions gate(Duration window, Duration timeout) {
        return new GateOptions("test", window, 0, null, timeout, Duration.ofMillis(20), Duration.ofSeconds(3), null, null, false);
    }

    private void deploy(Service s, Script script) {
        docker.script(s.name(), script);
        docker.build(List.of(s.name()), false);
        docker.up(List.of(s.name()));
    }

    @Test
    void promotedWhenHealthyThenConfirmedWhenTheWindowHasPassed() {
        Service s = TestServices.service("data-api");
        start(List.of(s));
        Instant since = Instant.now();
        deploy(s, Script.healthy().version("2").startDelay(Duration.ofMillis(200)));
        Watch w = watcher.watch(s, gate(Duration.ofMillis(500), Duration.ofSeconds(5)), since, 0);
        ServiceHealth promoted = Watcher.join(w.promoted());
        assertTrue(promoted.healthy(), promoted.reason());
        assertTrue(!w.verdict().isDone(), "promotion comes before the window has passed");
        ServiceHealth verdict = Watcher.join(w.verdict());
        assertTrue(verdict.healthy(), verdict.reason());
        assertTrue(Duration.between(w.healthyAt(), w.windowPassedAt()).toMillis() >= 500, "the whole window was held");
        // Time-to-healthy runs from the container's start: the start delay, give or take a probe.
        long tth = promoted.timeToHealthy().toMillis();
        assertTrue(tth >= 200 && tth < 1500, "time to healthy " + tth + " ms");
        assertNotNull(w.containerStartedAt());
        assertEquals(List.of("running", "http", "restarts", "stability"), verdict.checks().stream().map(Check::name).toList());
    }

    @Test
    void dockerUnhealthyBeforeHealthyIsAFailingProbeNotAVerdict() {
        Service s = TestServices.service("jaeger");
        start(List.of(s));
        deploy(s, Script.healthy().version("2").unhealthyFirst(Duration.ofMillis(600)));
        Watch w = watcher.watch(s, gate(Duration.ofMillis(100), Duration.ofSeconds(5)), Instant.now(), 0);
        ServiceHealth h = Watcher.join(w.verdict());
        assertTrue(h.healthy(), h.reason());
        assertTrue(h.checks().stream().anyMatch(c -> c.name().equals("docker-health") && c.passed()), h.checks().toString());
    }

    @Test
    void neverHealthyTimesOutNamingTheCheckAndWhatItSaw() {
        Service s = TestServices.service("websocket-ingestion");
        start(List.of(s));
        deploy(s, Script.healthy().version("2").neverGetsHealthy());
        ServiceHealth h = Watcher.join(watcher.watch(s, gate(Duration.ofMillis(100), Duration.ofMillis(600)), Instant.now(), 0).promoted());
        assertEquals(Outcome.TIMED_OUT, h.outcome());
        assertTrue(h.reason().startsWith("timed out after 600ms: http: expected 2xx from http://127.0.0.1:"), h.reason());
        assertTrue(h.reason().endsWith("saw HTTP 404"), h.reason());
    }

    @Test
    void aCrashInsideTheWindowFailsAtOnceWithTheLogs() {
        Service s = TestServices.service("data-api");
        start(List.of(s));
        deploy(s, Script.healthy().version("2").crashAfter(Duration.ofMillis(300)));
        Watch w = watcher.watch(s, gate(Duration.ofSeconds(30), Duration.ofSeconds(30)), Instant.now(), 0);
        assertTrue(Watcher.join(w.promoted()).healthy());
        ServiceHealth h = Watcher.join(w.verdict());
        assertEquals(Outcome.UNHEALTHY, h.outcome());
        assertTrue(h.reason().startsWith("running: expected running, saw exited (exit code 1)"), h.reason());
        assertTrue(h.reason().contains("into the 30s stability window"), h.reason());
        assertTrue(h.lastLogs().contains("fatal error, exiting"), h.lastLogs().toString());
    }

    @Test
    void aRestartWhoseEventWasLostStillFailsTheWindow() {
        Service s = TestServices.service("data-api");
        start(List.of(s));
        deploy(s, Script.healthy().version("2"));
        Watch w = watcher.watch(s, gate(Duration.ofMillis(500), Duration.ofSeconds(30)), Instant.now(), 0);
        assertTrue(Watcher.join(w.promoted()).healthy());
        docker.restartUnseen("data-api");
        ServiceHealth h = Watcher.join(w.verdict());
        assertEquals(Outcome.UNHEALTHY, h.outcome());
        assertTrue(h.reason().startsWith("restarts: expected no restart, saw restarted (restart count 0 -> 1"), h.reason());
    }

    @Test
    void exitWhileWaitingFailsFastToo() {
        Service s = TestServices.service("admin-api");
        start(List.of(s));
        deploy(s, Script.healthy().version("2").startDelay(Duration.ofSeconds(20)).crashAfter(Duration.ofMillis(200)));
        ServiceHealth h = Watcher.join(watcher.watch(s, gate(Duration.ofSeconds(1), Duration.ofSeconds(30)), Instant.now(), 0).promoted());
        assertEquals(Outcome.UNHEALTHY, h.outcome());
        assertTrue(h.reason().startsWith("running:"), h.reason());
    }

    @Test
    void errorLinesFoundAfterTheWindowFailTheVerdict() {
        Service s = TestServices.service("data-api");
        start(List.of(s));
        deploy(s, Script.healthy().version("2").logLine("ERROR cannot open /data/db.sqlite"));
        var options = new GateOptions("test", Duration.ofMillis(100), 50, java.util.regex.Pattern.compile("(?i)error"),
                Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofSeconds(3), null, null, false);
        ServiceHealth h = Watcher.join(watcher.watch(s, options, Instant.now(), 0).verdict());
        assertEquals(Outcome.UNHEALTHY, h.outcome());
        assertTrue(h.reason().startsWith("log-errors:"), h.reason());
    }

    @Test
    void everyServiceIsWatchedAtOnceAndEveryWindowRunsInParallel() {
        var services = new ArrayList<Service>();
        for (int i = 0; i < 45; i++) {
            services.add(TestServices.service("s" + i));
        }
        start(services);
        var watches = new ArrayList<Watch>();
        for (Service s : services) {
            watches.add(watcher.watch(s, gate(Duration.ofMillis(800), Duration.ofSeconds(5)), Instant.now(), null));
        }
        for (Watch w : watches) {
            assertTrue(Watcher.join(w.verdict()).healthy());
        }
        // At one moment every window was open: the last one began before the first one passed.
        Instant lastHealthy = watches.stream().map(Watch::healthyAt).max(Instant::compareTo).orElseThrow();
        Instant firstPassed = watches.stream().map(Watch::windowPassedAt).min(Instant::compareTo).orElseThrow();
        assertTrue(lastHealthy.isBefore(firstPassed), "windows overlap: last healthy " + lastHealthy + ", first passed " + firstPassed);
    }
}
