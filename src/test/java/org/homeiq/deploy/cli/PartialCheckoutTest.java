package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkout with fewer services than the plan (docs/examples/partial-checkout): the compose file
 * says which services exist, no overlay needed. These run without Docker: what they check is
 * decided before Docker is contacted.
 */
class PartialCheckoutTest {
    private static final Path EXAMPLE = Path.of("docs/examples/partial-checkout").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void validateReportsTheAbsentServicesOnceAsInformation() {
        EngineRun run = EngineRun.of("validate", "--project-dir", EXAMPLE.toString());
        String out = run.out();
        assertEquals(1, out.lines().filter(l -> l.contains("absent-in-compose")).count(), out);
        assertTrue(out.contains("info [absent-in-compose] 40 of the plan's 44 services are not in"), out);
        assertFalse(out.contains("missing-in-compose"), out);
        assertFalse(out.contains("is in the plan but not in"), out);
    }

    @Test
    void anOverlayDropsAServiceAndAWaveWithoutReplacingTheDay() {
        EngineRun run = EngineRun.of("plan", "--day", "1", "--project-dir", EXAMPLE.toString());
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.out().contains("wave d1-infra") && run.out().contains("wave d1-core"), run.out());
        assertFalse(run.out().contains("d1-frontend"), "the wave marked absent is gone: " + run.out());
        assertFalse(run.out().contains("data-retention"), "the service marked absent is gone: " + run.out());
        assertTrue(run.out().contains("3. admin-api"), "the rest of the day is the bundled one: " + run.out());
    }

    @Test
    void aPlanWideSelectionWithNoServiceOfTheCheckoutIsNothingToDo() throws Exception {
        copyExample();
        EngineRun run = EngineRun.of("health-gate", "--project-dir", dir.toString(), "--day", "3");
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.err().contains("Day 3: none of its services is in"), run.err());
        assertFalse(Files.exists(dir.resolve(".homeiq")));
    }

    @Test
    void namingAnAbsentServiceIsStillBadInput() throws Exception {
        copyExample();
        EngineRun run = EngineRun.of("rebuild-wave", "--project-dir", dir.toString(), "--services", "data-api,jaeger");
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.err().contains("'jaeger' is not in"), run.err());
    }

    private void copyExample() throws Exception {
        for (String f : new String[] {"docker-compose.yml", "homeiq-deploy.yaml"}) {
            Files.copy(EXAMPLE.resolve(f), dir.resolve(f));
        }
    }
}
