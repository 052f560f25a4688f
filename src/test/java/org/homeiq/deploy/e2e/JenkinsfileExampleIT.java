package org.homeiq.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.homeiq.deploy.secrets.SecretSearch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Jenkinsfile.example}, unchanged but for the project directory and the approvers, run in a
 * real Jenkins controller (the shared kit, {@code ../shared/jenkins}) with this checkout as its
 * shared library and the packaged engine, against a miniature HomeIQ on the real Docker engine:
 * Day 5 approved, failed, rejected and dry-run. Runs after {@code package} (failsafe), since the builds run
 * {@code target/homeiq-deploy.jar}. Without the kit it is skipped loudly; with {@code CI=true} it fails.
 * Nothing is provided for the backup beyond the stack's own images (no {@code busybox:latest}).
 */
@DockerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JenkinsfileExampleIT {
    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final String JOB = "homeiq";
    static final String DAY = "5";
    static final String DEPLOY_STAGE = "Deploy day 5";
    static final String WAVE = "d5-analytics";
    static final String FAILING = "energy-correlator";
    static final List<String> DAY_SERVICES = List.of(FAILING, "rule-recommendation-ml", "observability-dashboard");
    /** The example's backup quiesces influxdb, so the stack has it too. */
    static final List<String> STACK = Stream.concat(Stream.of("influxdb"), DAY_SERVICES.stream()).toList();
    /** The required secret keys of the template, as Secret text credentials with docs/dotenv.md's ids. */
    static final Map<String, String> CREDENTIALS = Map.of(
            "homeiq-home-assistant-token", "ha-Zq9/Tk+n==tok3n-7f3a",
            "homeiq-influxdb-token", "influx-Wb2+Lm/9xQ==-c41d",
            "homeiq-api-key", "apikey-Pp4=Yy+Rr/Vv-e09b");
    static final String TEMPLATE = """
            HOME_ASSISTANT_URL=http://127.0.0.1:48123
            HOME_ASSISTANT_TOKEN=
            INFLUXDB_URL=http://influxdb:8086
            INFLUXDB_TOKEN=
            INFLUXDB_ORG=homeiq
            INFLUXDB_BUCKET=home_assistant_events
            API_KEY=
            LOG_LEVEL=INFO
            """;
    /** A never-healthy service gives up after this, so the failure drill takes seconds. */
    static final String SHORT_WAITS = "services:\n" + String.join("", DAY_SERVICES.stream().map(s -> "  " + s + ":\n    wait: 15s\n").toList());

    @TempDir
    static Path dir;

    private final long started = System.nanoTime();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private RealJenkins jenkins;
    private MiniHomeIq mini;

    @BeforeAll
    void controllerLibraryAndStack() throws Exception {
        Path kit = kit();
        Path engine = PROJECT.resolve("target/homeiq-deploy.jar");
        assertTrue(Files.isRegularFile(engine), engine + " is missing: this test runs after package (./mvnw verify runs it with failsafe)");
        int port = Integer.getInteger("homeiq.jenkins.port", 0) > 0 ? Integer.getInteger("homeiq.jenkins.port") : freePort();
        // The controller starts (~15 s) while the stack builds.
        CompletableFuture<RealJenkins> controller = CompletableFuture.supplyAsync(() -> RealJenkins.start(kit, dir.resolve("jenkins"), port));
        try {
            Path library = LibrarySnapshot.commit(PROJECT, dir.resolve("library"));
            mini = TestStack.createNamedByDirectory(dir, "jenkins", STACK, SHORT_WAITS);
            Files.writeString(mini.projectDir().resolve(".env.template"), TEMPLATE);
            mini.start();
            jenkins = controller.join();
            jenkins.script("jenkins-configure.groovy", Map.of(
                    "library", Map.of("name", "homeiq-pipeline", "url", library.toUri().toString(), "version", LibrarySnapshot.BRANCH),
                    "env", Map.of("HOMEIQ_ENGINE_JAR", engine.toString()),
                    "label", "homeiq-docker",
                    "executors", 2,
                    "credentials", CREDENTIALS), "configured:");
        } finally {
            if (jenkins == null) {
                controller.thenAccept(RealJenkins::close);
            }
        }
        jenkins.createJob(JOB, jobXml(exampleFor(mini.projectDir(), "admin")));
        // The first build registers the parameters; with none chosen it only plans.
        int first = jenkins.build(JOB, Map.of());
        JsonNode r = jenkins.awaitResult(JOB, first, Duration.ofMinutes(2));
        assertEquals("SUCCESS", r.path("result").asText(), jenkins.console(JOB, first));
        assertTrue(jenkins.console(JOB, first).contains("Nothing selected: choose DAY or NIGHTLY_REBUILD"));
    }

    @Test
    @Order(1)
    void approvedDayDeploysEveryServiceAndTheApprovalHoldsNoExecutor() {
        for (String s : DAY_SERVICES) {
            mini.configure(s, Behaviour.healthy().version("2"));
        }
        int build = jenkins.build(JOB, Map.of("DAY", DAY));
        String input = jenkins.awaitInput(JOB, build, Duration.ofMinutes(3));
        int busy = jenkins.busyExecutors();
        figures.put("busyExecutors while the approval waited", String.valueOf(busy));
        assertEquals(0, busy, "an executor is held while the approval waits");
        String asked = jenkins.console(JOB, build);
        assertTrue(asked.contains(WAVE) && asked.contains(FAILING), "the approval shows the plan's waves:\n" + asked);
        jenkins.approve(JOB, build, input);

        JsonNode r = jenkins.awaitResult(JOB, build, Duration.ofMinutes(4));
        String console = jenkins.console(JOB, build);
        assertEquals("SUCCESS", r.path("result").asText(), console);
        for (String s : DAY_SERVICES) {
            assertEquals("2", mini.version(s).orElse("none"), s + " serves the new version");
        }
        List<String> cases = testCases(build);
        for (String s : DAY_SERVICES) {
            assertTrue(cases.stream().anyMatch(c -> c.contains(s)), "the Tests tab has " + s + ": " + cases);
        }
        assertNoSecret(build);
        assertEngineCallsCarryTheJvmOptions(console);
        measure(build);
    }

    @Test
    @Order(2)
    void neverHealthyServiceFailsTheDayAndOnlyWhatTheBuildChangedIsRolledBack() {
        String leak = "ERROR upstream refused token=" + CREDENTIALS.get("homeiq-influxdb-token")
                + " b64=" + Base64.getEncoder().encodeToString(CREDENTIALS.get("homeiq-api-key").getBytes(StandardCharsets.UTF_8));
        mini.configure(FAILING, Behaviour.healthy().version("3").neverGetsHealthy().logLine(leak));
        // Not in the day's waves: its container must survive the day's rollback untouched.
        String influxdb = mini.containerId("influxdb").orElseThrow();
        int build = jenkins.build(JOB, Map.of("DAY", DAY));
        jenkins.approve(JOB, build, jenkins.awaitInput(JOB, build, Duration.ofMinutes(3)));

        JsonNode r = jenkins.awaitResult(JOB, build, Duration.ofMinutes(4));
        String console = jenkins.console(JOB, build);
        assertEquals("FAILURE", r.path("result").asText(), console);
        assertEquals("2", mini.version(FAILING).orElse("none"), "the old version serves again");
        // The steps pass --result FILE before the command; the example rolls back this build's journal runs.
        assertTrue(console.matches("(?s).*homeiq-deploy\\.jar (--result \\S+ )?rollback --build '?jenkins-" + JOB + "-" + build + "'? .*"),
                "the rollback of what build " + build + " changed ran:\n" + console);
        assertTrue(console.matches("(?s).*rollback --build jenkins-" + JOB + "-" + build + ": \\d+ run\\(s\\) .*; \\d+ of \\d+ touched service\\(s\\) changed.*"),
                "the console says what the rollback found changed:\n" + console);
        figures.put("what the failed build's rollback found", console.lines().filter(l -> l.contains("rollback --build jenkins-") && l.contains("touched service"))
                .findFirst().orElse("?").strip());
        assertEquals(influxdb, mini.containerId("influxdb").orElse("none"), "influxdb, which the build did not change, was not recreated");
        String description = r.path("description").asText();
        figures.put("description of the failed build", description);
        assertTrue(description.contains(FAILING) && description.contains("http"), "names the service and the failed check: " + description);
        assertTrue(console.contains("ERROR upstream refused token="), "the leaking log line was shown (masked):\n" + console);
        assertNoSecret(build);
    }

    @Test
    @Order(3)
    void rejectedDayIsAbortedAndChangesNothing() {
        // A rebuild would now make a new image: equal ids afterwards mean nothing was rebuilt.
        mini.configure("rule-recommendation-ml", Behaviour.healthy().version("4"));
        Map<String, String> before = images();
        int build = jenkins.build(JOB, Map.of("DAY", DAY));
        String input = jenkins.awaitInput(JOB, build, Duration.ofMinutes(3));
        assertEquals(0, jenkins.busyExecutors(), "an executor is held while the approval waits");
        jenkins.reject(JOB, build, input);

        JsonNode r = jenkins.awaitResult(JOB, build, Duration.ofMinutes(2));
        String console = jenkins.console(JOB, build);
        assertEquals("ABORTED", r.path("result").asText(), console);
        assertEquals(before, images(), "images and containers are as they were");
        assertTrue(r.path("description").asText().contains("rejected by admin"), r.toString());
        assertNoSecret(build);
    }

    @Test
    @Order(4)
    void dryRunShowsTheDayAndChangesNothing() {
        Map<String, String> before = images();
        int build = jenkins.build(JOB, Map.of("DAY", DAY, "DRY_RUN", "true"));

        JsonNode r = jenkins.awaitResult(JOB, build, Duration.ofMinutes(2));
        String console = jenkins.console(JOB, build);
        assertEquals("SUCCESS", r.path("result").asText(), console);
        assertTrue(console.contains("Dry run: would back up (label pre-rebuild), then rebuild and gate d5-analytics, d5-observability; nothing changed"), console);
        assertTrue(r.path("description").asText().endsWith(": dry run, nothing changed"), r.toString());
        assertEquals(before, images());
    }

    @AfterAll
    void stopEverything() {
        try {
            if (jenkins != null) {
                jenkins.close();
            }
        } finally {
            try {
                if (mini != null) {
                    mini.close();
                }
            } finally {
                figures.put("test duration", (System.nanoTime() - started) / 1_000_000_000 + " s");
                System.out.println("===== real Jenkins figures =====");
                figures.forEach((k, v) -> System.out.println("  " + k + ": " + v));
            }
        }
    }

    /** The shared controller kit; skipped loudly without it, a failure on CI. */
    static Path kit() {
        Path kit = PROJECT.resolve(System.getProperty("homeiq.jenkins.dir", "../shared/jenkins")).normalize();
        if (Files.isExecutable(kit.resolve("controller.sh"))) {
            return kit;
        }
        String why = "no Jenkins controller kit at " + kit + " (controller.sh); set -Dhomeiq.jenkins.dir=DIR";
        if (DockerAvailable.ci()) {
            throw new AssertionError("CI=true but the real-Jenkins test cannot run: " + why);
        }
        System.err.println("!!!!!!!! SKIPPED real-Jenkins test JenkinsfileExampleIT: " + why + ". Set CI=true to make this a failure.");
        Assumptions.abort("SKIPPED: " + why);
        return kit;
    }

    /** The example with only the project directory and the approvers replaced. */
    static String exampleFor(Path projectDir, String approvers) throws IOException {
        String example = Files.readString(PROJECT.resolve("Jenkinsfile.example"));
        String dirValue = "HOMEIQ_PROJECT_DIR = '/srv/homeiq'";
        String approverValue = "HOMEIQ_APPROVERS   = 'homeiq-approvers'";
        for (String v : List.of(dirValue, approverValue)) {
            assertEquals(example.indexOf(v), example.lastIndexOf(v), "once in Jenkinsfile.example: " + v);
            assertTrue(example.contains(v), "Jenkinsfile.example sets " + v);
        }
        return example.replace(dirValue, "HOMEIQ_PROJECT_DIR = '" + projectDir + "'")
                .replace(approverValue, "HOMEIQ_APPROVERS   = '" + approvers + "'");
    }

    /** A pipeline job's config.xml: the script, run in the Groovy sandbox as a user's Jenkinsfile is. */
    static String jobXml(String script) {
        var out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeStartElement("flow-definition");
            x.writeStartElement("definition");
            x.writeAttribute("class", "org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition");
            x.writeStartElement("script");
            x.writeCharacters(script);
            x.writeEndElement();
            x.writeStartElement("sandbox");
            x.writeCharacters("true");
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** Every test case of the build's Tests tab, as "class name". */
    private List<String> testCases(int build) {
        JsonNode report = jenkins.testReport(JOB, build).orElseThrow(() -> new AssertionError("build " + build + " published no JUnit"));
        var cases = new ArrayList<String>();
        for (JsonNode suite : report.path("suites")) {
            for (JsonNode c : suite.path("cases")) {
                cases.add(c.path("className").asText() + " " + c.path("name").asText());
            }
        }
        return cases;
    }

    /** No secret value or encoding in the console, the Tests tab, the artifacts, or anything else Jenkins keeps of the build. */
    private void assertNoSecret(int build) {
        String console = jenkins.console(JOB, build);
        String report = jenkins.testReport(JOB, build).map(JsonNode::toString).orElse("");
        Map<String, String> artifacts = jenkins.artifacts(JOB, build);
        Path kept = jenkins.home().resolve("jobs/" + JOB + "/builds/" + build);
        for (String secret : CREDENTIALS.values()) {
            SecretSearch search = new SecretSearch(secret);
            search.assertAbsent("consoleText of #" + build, console);
            search.assertAbsent("the Tests tab of #" + build, report);
            artifacts.forEach((path, text) -> search.assertAbsent("artifact " + path + " of #" + build, text));
            search.assertAbsentInFiles(kept, f -> true);
        }
    }

    /**
     * Every engine call the console shows (the "+ java ... -jar ...homeiq-deploy.jar" line sh
     * echoes) has the library's JVM options, in the file's order, between java and -jar.
     */
    private void assertEngineCallsCarryTheJvmOptions(String console) {
        List<String> options;
        try {
            options = Files.readAllLines(PROJECT.resolve("resources/org/homeiq/pipeline/engine-jvm.options")).stream()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<List<String>> calls = console.lines().filter(l -> l.contains("+ ") && l.contains(" -jar ") && l.contains("homeiq-deploy.jar"))
                .map(l -> List.of(l.substring(l.indexOf("+ ") + 2).split(" "))).toList();
        assertTrue(calls.size() >= 3, "the console shows the engine calls:\n" + console);
        for (List<String> words : calls) {
            assertEquals(options, words.subList(1, words.indexOf("-jar")), "between java and -jar: " + String.join(" ", words));
        }
        figures.put("engine calls in the console with the JVM options", calls.size() + ", each: " + String.join(" ", options));
    }

    /** Image id of each service's tag and of its running container, with the container id. */
    private Map<String, String> images() {
        var out = new LinkedHashMap<String, String>();
        for (String s : STACK) {
            String tag = mini.engine().image(mini.image(s)).map(i -> i.id()).orElse("none");
            String container = mini.containerId(s).flatMap(id -> mini.engine().container(id))
                    .map(c -> c.id() + "@" + c.imageId()).orElse("none");
            out.put(s, tag + " / " + container);
        }
        return out;
    }

    /** Flow nodes per engine call, and a wave stage against the engine's own wall time. */
    private void measure(int build) {
        JsonNode count = parse(jenkins.script("jenkins-flow-nodes.groovy",
                Map.of("job", JOB, "build", build, "engine", "homeiq-deploy.jar", "stage", DEPLOY_STAGE), "counted")
                .lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        int nodes = count.path("nodes").asInt();
        int calls = count.path("engineCalls").asInt();
        int stageNodes = count.path("stageNodes").asInt();
        int stageCalls = count.path("stageEngineCalls").asInt();
        assertTrue(calls > 0 && stageCalls > 0, "engine calls were counted: " + count);
        double perCall = (double) stageNodes / stageCalls;
        figures.put("flow nodes, whole build", nodes + " for " + calls + " engine calls (" + String.format("%.1f", (double) nodes / calls) + " per call)");
        figures.put("flow nodes in '" + DEPLOY_STAGE + "'", stageNodes + " for " + stageCalls + " engine calls ("
                + String.format("%.1f", perCall) + " per call)");
        figures.put("steps by kind", count.path("steps").toString());
        assertTrue(perCall <= 15, "at most 15 flow nodes per step call, saw " + perCall + ": " + count);

        long stageMs = -1;
        for (JsonNode st : jenkins.get(JOB, build, "wfapi/describe").path("stages")) {
            if (st.path("name").asText().equals(WAVE)) {
                stageMs = st.path("durationMillis").asLong();
            }
        }
        long engineMs = 0;
        for (Map.Entry<String, String> a : jenkins.artifacts(JOB, build).entrySet()) {
            if (a.getKey().endsWith(".json") && a.getKey().contains(WAVE)) {
                engineMs += parse(a.getValue()).path("wallTimeMs").asLong();
            }
        }
        assertTrue(stageMs > 0 && engineMs > 0, "stage " + stageMs + " ms, engine " + engineMs + " ms");
        figures.put("wave stage " + WAVE, stageMs + " ms; the engine's own wall time " + engineMs + " ms; overhead " + (stageMs - engineMs) + " ms");
    }

    private static JsonNode parse(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
