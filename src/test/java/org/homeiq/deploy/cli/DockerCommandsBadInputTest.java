package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage in every new option and file of rebuild-wave, health-gate and rollback: exit 2, a
 * message naming the option or file, and nothing touched. None of these reach Docker (the bad
 * input is found first), so they run without a Docker engine.
 */
class DockerCommandsBadInputTest {
    @TempDir
    Path dir;

    @BeforeEach
    void composeFile() throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), "services:\n  data-api:\n    build: ./data-api\n  influxdb:\n    image: influxdb:2.7\n");
    }

    private EngineRun run(String... args) {
        var a = new ArrayList<>(List.of(args));
        a.addAll(1, List.of("--project-dir", dir.toString()));
        return EngineRun.of(a.toArray(String[]::new));
    }

    private void assertBadInput(EngineRun r, String mention) {
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains(mention), "expected the message to mention '" + mention + "': " + r.err());
        assertFalse(Files.exists(dir.resolve(".homeiq")), "nothing may be written on bad input");
        assertFalse(r.all().contains("\tat org."), "no stack trace: " + r.all());
    }

    @Test
    void overLongDurationsAreBadInputNotAnOverflow() {
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--timeout", "99999999999h"), "--timeout");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--timeout", "99999999999h"), "longest duration accepted, 168h");
        assertBadInput(run("health-gate", "--services", "data-api", "--stability-window", "99999999999999999999999s"), "--stability-window");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--wait-lock", "169h"), "--wait-lock");
    }

    @Test
    void reportPathsMustBeWritableBeforeAnythingRuns() throws Exception {
        Path blocker = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--json", blocker.resolve("r.json").toString()), "--json");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--junit", blocker.resolve("r.xml").toString()), "--junit");
        assertBadInput(run("health-gate", "--services", "data-api", "--json", dir.toString()), "is a directory");
        assertBadInput(run("health-gate", "--services", "data-api", "--save-baseline", blocker.resolve("b.json").toString()), "--save-baseline");
        assertBadInput(run("backup", "--json", blocker.resolve("b.json").toString()), "--json");
        Path fresh = dir.resolve("reports/r.json");
        assertBadInput(run("rebuild-wave", "--services", "no-such-service", "--json", fresh.toString()), "no-such-service");
        assertFalse(Files.exists(fresh), "the writability probe leaves no file behind");
    }

    @Test
    void namesFollowDockersGrammar() {
        assertBadInput(run("rebuild-wave", "-p", "x;y", "--services", "data-api"), "--project-name");
        assertBadInput(run("backup", "-p", "Upper", "--quiesce", "data-api"), "not a compose project name");
        assertBadInput(run("backup", "--helper-image", "busy box;rm -rf /"), "--helper-image");
        assertBadInput(run("rollback", "--backup", "x", "--all", "--helper-image", "../x"), "--helper-image");
    }

    @Test
    void anEmptySelectionIsAnError() {
        assertBadInput(run("rebuild-wave", "--services", ",,,"), "--services");
        assertBadInput(run("health-gate", "--services", ""), "--services");
    }

    @Test
    void theDefaultEnvFileIsParsedByEveryCommandThatUsesIt() throws Exception {
        Files.writeString(dir.resolve(".env"), "GOOD=1\nthis is not a setting\n");
        for (String command : new String[] {"rebuild-wave", "health-gate"}) {
            assertBadInput(run(command, "--services", "data-api"), dir.resolve(".env") + ":2:");
        }
        assertBadInput(run("rollback", "--label", "pre-rebuild", "--services", "data-api"), dir.resolve(".env") + ":2:");
        assertBadInput(run("backup"), dir.resolve(".env") + ":2:");
    }

    @Test
    void unknownServiceIsRejectedBeforeAnythingIsTouched() {
        assertBadInput(run("rebuild-wave", "--services", "data-api,no-such-service"), "unknown service 'no-such-service'");
    }

    @Test
    void serviceMissingFromTheComposeFile() {
        assertBadInput(run("rebuild-wave", "--services", "admin-api"), "'admin-api' is not in");
    }

    @Test
    void missingComposeFile() {
        assertBadInput(run("health-gate", "-f", "nope.yml", "--services", "data-api"), "compose file not found");
    }

    @Test
    void unknownWaveAndDay() {
        assertBadInput(run("rebuild-wave", "--wave", "d9-nothing"), "no wave 'd9-nothing'");
        assertBadInput(run("health-gate", "--day", "9"), "no deployment day 9");
    }

    @Test
    void selectionIsRequiredAndExclusive() {
        assertBadInput(run("rebuild-wave"), "--services");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--day", "1"), "mutually exclusive");
    }

    @Test
    void badOptionValues() {
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--on-failure", "pray"), "'pray' is not one of rollback, stop, continue");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--mode", "sideways"), "--mode");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--max-parallel", "0"), "--max-parallel");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--max-parallel", "all"), "--max-parallel");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--max-builds", "0"), "--max-builds");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--max-builds", "many"), "--max-builds");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--wait-lock", "forever"), "'forever' is not a duration");
        assertBadInput(run("backup", "--keep-failed", "-1"), "--keep-failed");
        assertBadInput(run("rollback", "--build", "jenkins-no-such-build-1"), "jenkins-no-such-build-1");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--label", "-bad:tag"), "--label");
        assertBadInput(run("rebuild-wave", "--services", "data-api", "--timeout", "soon"), "'soon' is not a duration");
        assertBadInput(run("health-gate", "--services", "data-api", "--error-pattern", "(unclosed"), "--error-pattern");
        assertBadInput(run("health-gate", "--services", "data-api", "--log-lines", "-3"), "--log-lines");
        assertBadInput(run("health-gate", "--services", "data-api", "--gate", "nightly"), "no gate settings named 'nightly'");
        assertBadInput(run("health-gate", "--services", "data-api", "--env-file", dir.resolve("missing.env").toString()), "--env-file");
        assertBadInput(run("health-gate", "--services", "data-api", "--baseline", dir.resolve("none.json").toString()), "--baseline");
        assertBadInput(run("health-gate", "--services", "data-api", "--latency-tolerance", "-5"), "--latency-tolerance");
    }

    @Test
    void rollbackWithoutAJournal() {
        assertBadInput(run("rollback", "--journal"), "no wave journal");
        assertBadInput(run("rollback", "--journal", "20260101-000000-000"), "no such run");
    }

    @Test
    void rollbackNeedsASource() {
        assertBadInput(run("rollback"), "--journal");
        assertBadInput(run("rollback", "--label", "pre-rebuild"), "--services");
    }
}
