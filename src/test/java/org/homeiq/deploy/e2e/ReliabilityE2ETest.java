package org.homeiq.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.homeiq.deploy.e2e.TestStack.args;
import static org.homeiq.deploy.e2e.TestStack.version;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.homeiq.deploy.cli.EngineRun;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 against the miniature HomeIQ on a real Docker engine: one changing run per stack, input
 * checked before the first change (a before/after snapshot of the stack), a partial checkout, and
 * {@code rollback --build} undoing exactly what one Jenkins build changed.
 */
@DockerTest
class ReliabilityE2ETest {
    private static final List<String> CORE = List.of("data-api", "websocket-ingestion", "admin-api");

    @TempDir
    Path dir;

    /** What a run could change: containers, the images they run, their versions, their tags. */
    private static Map<String, String> snapshot(MiniHomeIq mini) {
        var s = new TreeMap<String, String>();
        for (String svc : mini.services()) {
            String id = mini.containerId(svc).orElse("none");
            s.put(svc + " container", id);
            s.put(svc + " runs", mini.docker().container(id).map(c -> c.imageId() + (c.running() ? " running" : " stopped")).orElse("none"));
            s.put(svc + " version", version(mini, svc));
            // Each tag a run could move, inspected one by one (a listing can miss one on a busy daemon).
            for (String label : List.of("latest", "pre-rebuild")) {
                String tag = mini.projectName() + "/" + svc + ":" + label;
                s.put("tag " + tag, mini.docker().image(tag).map(i -> i.id()).orElse("none"));
            }
            s.put(svc + " failed-* tags", String.valueOf(mini.docker().images(mini.projectName() + "/" + svc + ":failed-*").size()));
        }
        s.put("journal", String.valueOf(Files.exists(mini.projectDir().resolve(".homeiq/journal"))));
        return s;
    }

    private static long journals(MiniHomeIq mini) throws Exception {
        Path d = mini.projectDir().resolve(".homeiq/journal");
        try (var files = Files.list(d)) {
            return files.count();
        }
    }

    @Test
    void aSecondChangingRunExitsThreeNamingTheFirstAndLeavesItsRestorePointsAlone() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "lock", CORE)) {
            mini.start();
            mini.configure("data-api", Behaviour.healthy().version("2"));
            mini.configure("websocket-ingestion", Behaviour.healthy().version("2").startDelay(Duration.ofMinutes(5)));
            Path out = dir.resolve("first.txt");
            Process first = EngineProcess.start(Map.of("BUILD_TAG", "jenkins-homeiq-day1-41"), out,
                    args(mini, "rebuild-wave", "--services", String.join(",", CORE), "--timeout", "120s"));
            try {
                Path journalDir = mini.projectDir().resolve(".homeiq/journal");
                Await.until("the first run deployed websocket-ingestion", Duration.ofSeconds(90),
                        () -> read(journalDir).lines().anyMatch(l -> l.contains("\"event\":\"deployed\"")
                                && l.contains("\"service\":\"websocket-ingestion\"")));
                Map<String, String> restorePoints = new TreeMap<>();
                for (String s : List.of("data-api", "websocket-ingestion")) {
                    String tag = mini.projectName() + "/" + s + ":pre-rebuild";
                    restorePoints.put(tag, mini.docker().image(tag).orElseThrow().id());
                }

                EngineRun second = EngineRun.of(args(mini, "rebuild-wave", "--services", "data-api,admin-api", "--timeout", "20s"));
                assertEquals(3, second.exitCode(), second.all());
                String err = second.err();
                assertTrue(err.contains("the stack is locked by another run"), err);
                assertTrue(err.contains("pid " + first.pid() + " on "), "names the holder's pid: " + err);
                assertTrue(err.contains("'rebuild-wave services data-api, websocket-ingestion, admin-api'"), err);
                assertTrue(err.contains("Jenkins build jenkins-homeiq-day1-41"), err);
                assertTrue(err.contains("since 20"), err);

                EngineRun waited = EngineRun.of(args(mini, "rollback", "--journal", "latest", "--wait-lock", "1s"));
                assertEquals(3, waited.exitCode(), waited.all());
                assertTrue(waited.out().contains("waiting up to 1s"), waited.out());
                assertTrue(waited.err().contains("still held after waiting 1s"), waited.err());

                assertEquals(1, journals(mini), "the refused runs wrote no journal");
                for (var e : restorePoints.entrySet()) {
                    assertEquals(e.getValue(), mini.docker().image(e.getKey()).orElseThrow().id(), e.getKey() + " intact");
                }
                // health-gate only reads: it never waits for the lock.
                EngineRun gate = EngineRun.of(args(mini, "health-gate", "--services", "admin-api", "--timeout", "20s"));
                assertEquals(0, gate.exitCode(), gate.all());
            } finally {
                first.destroyForcibly();
                first.waitFor(60, TimeUnit.SECONDS);
            }
            // The killed run's OS lock died with it; its description is left: taken over, and said.
            EngineRun back = EngineRun.of(args(mini, "rollback", "--journal", "latest", "--timeout", "20s"));
            assertEquals(0, back.exitCode(), back.all() + "\nfirst run:\n" + Files.readString(out));
            assertTrue(back.out().contains("took over the stale lock of pid " + first.pid()), back.out());
            assertTrue(back.out().contains("that process is gone"), back.out());
            for (String s : CORE) {
                assertEquals("1", version(mini, s), s);
            }
        }
    }

    private static String read(Path journalDir) {
        var sb = new StringBuilder();
        try (var files = Files.list(journalDir)) {
            for (Path f : files.toList()) {
                sb.append(Files.readString(f));
            }
        } catch (java.io.IOException e) {
            return "";
        }
        return sb.toString();
    }

    @Test
    void badInputFoundAfterParsingStillChangesNothing() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "input", List.of("data-api", "admin-api"))) {
            mini.start();
            mini.configure("data-api", Behaviour.healthy().version("2"));
            Map<String, String> before = snapshot(mini);
            Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
            String project = mini.projectDir().toString();
            List<List<String>> cases = List.of(
                    List.of("rebuild-wave", "--project-dir", project, "-p", mini.projectName(), "--services", "data-api",
                            "--timeout", "99999999999h"),
                    List.of("rebuild-wave", "--project-dir", project, "-p", mini.projectName(), "--services", "data-api",
                            "--json", blocker.resolve("r.json").toString()),
                    List.of("rebuild-wave", "--project-dir", project, "-p", mini.projectName(), "--services", "data-api",
                            "--junit", blocker.resolve("r.xml").toString()),
                    List.of("rebuild-wave", "--project-dir", project, "-p", "x;y", "--services", "data-api"),
                    List.of("rebuild-wave", "--project-dir", project, "-p", mini.projectName(), "--services", ",,,"),
                    List.of("rollback", "--project-dir", project, "-p", mini.projectName(), "--label", "pre-rebuild",
                            "--services", "data-api", "--stability-window", "99999999999h"));
            List<String> mentions = List.of("--timeout", "--json", "--junit", "--project-name", "--services", "--stability-window");
            for (int i = 0; i < cases.size(); i++) {
                EngineRun r = EngineRun.of(cases.get(i).toArray(String[]::new));
                assertEquals(2, r.exitCode(), cases.get(i) + ": " + r.all());
                assertTrue(r.err().contains(mentions.get(i)), cases.get(i) + " names " + mentions.get(i) + ": " + r.err());
                assertFalse(r.all().contains("\tat "), "no stack trace: " + r.all());
                assertEquals(before, snapshot(mini), cases.get(i) + " changed nothing");
            }
            // A broken default .env: compose would read it, so every command that uses compose refuses it.
            Path env = mini.projectDir().resolve(".env");
            Files.writeString(env, "HOMEIQ_OK=1\nthis line is not a setting\n");
            EngineRun r = EngineRun.of(args(mini, "rebuild-wave", "--services", "data-api"));
            assertEquals(2, r.exitCode(), r.all());
            assertTrue(r.err().contains(env + ":2:"), r.err());
            Files.delete(env);
            assertEquals(before, snapshot(mini), "the broken .env changed nothing");
        }
    }

    @Test
    void healthGateAllWorksOnAPartialStackWithoutAnOverlay() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "partial", CORE)) {
            mini.start();
            Path json = dir.resolve("gate.json");
            EngineRun run = EngineRun.of(args(mini, "health-gate", "--all", "--timeout", "20s", "--json", json.toString()));
            assertEquals(0, run.exitCode(), run.all());
            assertTrue(run.out().contains("service(s) skipped, not in docker-compose.yml: influxdb, jaeger"),
                    run.out());
            var services = new ObjectMapper().readTree(json.toFile()).get("services");
            assertEquals(3, services.size(), services.toString());
            EngineRun day = EngineRun.of(args(mini, "health-gate", "--day", "1", "--timeout", "20s"));
            assertEquals(0, day.exitCode(), day.all());
            assertTrue(day.out().contains("skipped, not in docker-compose.yml"), day.out());
        }
    }

    @Test
    void rollbackOfABuildUndoesExactlyWhatItChanged() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "build", CORE)) {
            mini.start();
            Map<String, String> build = Map.of("BUILD_TAG", "jenkins-homeiq-day1-7", "BUILD_URL", "http://ci/job/day1/7/");
            mini.configure("data-api", Behaviour.healthy().version("2"));
            assertEquals(0, engine(build, args(mini, "rebuild-wave", "--services", "data-api", "--timeout", "20s")));
            mini.configure("admin-api", Behaviour.healthy().version("2"));
            assertEquals(0, engine(build, args(mini, "rebuild-wave", "--services", "admin-api", "--timeout", "20s")));
            // Failed and rolled back by the run itself: back on its restore point already.
            mini.configure("websocket-ingestion", Behaviour.healthy().version("2").neverGetsHealthy());
            assertEquals(1, engine(build, args(mini, "rebuild-wave", "--services", "websocket-ingestion", "--timeout", "8s")));
            assertEquals("1", version(mini, "websocket-ingestion"));
            assertTrue(read(mini.projectDir().resolve(".homeiq/journal")).contains("\"build\":\"jenkins-homeiq-day1-7\""));
            String wsContainer = mini.containerId("websocket-ingestion").orElseThrow();

            EngineRun back = EngineRun.of(args(mini, "rollback", "--build", "jenkins-homeiq-day1-7", "--timeout", "20s"));
            assertEquals(0, back.exitCode(), back.all());
            assertTrue(back.out().contains("3 run(s)") && back.out().contains("2 of 3 touched service(s) changed"), back.out());
            assertTrue(back.out().contains("websocket-ingestion: already on its restore point: not touched"), back.out());
            assertEquals(wsContainer, mini.containerId("websocket-ingestion").orElseThrow(), "not recreated");
            for (String s : CORE) {
                assertEquals("1", version(mini, s), s);
            }
            Map<String, String> after = snapshot(mini);

            EngineRun again = EngineRun.of(args(mini, "rollback", "--build", "jenkins-homeiq-day1-7", "--timeout", "20s"));
            assertEquals(0, again.exitCode(), again.all());
            assertTrue(again.out().contains("nothing to roll back"), again.out());
            assertEquals(after, snapshot(mini), "nothing was touched");

            EngineRun unknown = EngineRun.of(args(mini, "rollback", "--build", "jenkins-other-1"));
            assertEquals(2, unknown.exitCode(), unknown.all());
            assertTrue(unknown.err().contains("--build jenkins-other-1: no rebuild-wave run of that build"), unknown.err());
        }
    }

    private int engine(Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "engine", ".txt");
        Process p = EngineProcess.start(env, out, args);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "engine finished: " + Files.readString(out));
        System.out.println(Files.readString(out));
        return p.exitValue();
    }
}
