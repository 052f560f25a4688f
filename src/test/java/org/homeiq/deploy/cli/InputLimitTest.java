package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.homeiq.deploy.InputLimit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files over their documented size (and YAML lines over their length) are refused at once with
 * exit 2, naming the file and the limit, before anything is parsed or touched. The oversized
 * files are sparse: made in no time, and a parser that read them would take seconds.
 */
class InputLimitTest {
    @TempDir
    Path dir;

    @BeforeEach
    void composeFile() throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), "services:\n  data-api:\n    build: ./data-api\n");
    }

    private Path oversized(String name, InputLimit limit, String start) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, start);
        try (var file = new RandomAccessFile(f.toFile(), "rw")) {
            file.setLength(limit.maxBytes() + 1);
        }
        return f;
    }

    private void assertRefused(EngineRun r, Path file, String limit) {
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains(file.toString()) && r.err().contains(limit), r.err());
        assertFalse(r.all().contains("Exception"), r.all());
        assertFalse(Files.exists(dir.resolve(".homeiq")), "nothing may be written on bad input");
    }

    private EngineRun run(String... args) {
        var a = new java.util.ArrayList<>(java.util.List.of(args));
        a.addAll(java.util.List.of("--project-dir", dir.toString()));
        return EngineRun.of(a.toArray(String[]::new));
    }

    @Test
    void aDotenvOverItsLimitIsRefusedByEveryReader() throws Exception {
        Path env = oversized("big.env", InputLimit.DOTENV, "A=1\n");
        assertRefused(run("dotenv", "check", env.toString()), env, "16 MiB");
        assertRefused(run("validate", "--env-file", env.toString()), env, "16 MiB");
        Path projectEnv = oversized(".env", InputLimit.DOTENV, "A=1\n");
        assertRefused(run("backup", "--label", "x"), projectEnv, "16 MiB");
    }

    @Test
    void yamlComposeBaselineAndManifestOverTheirLimits() throws Exception {
        Path plan = oversized("plan.yaml", InputLimit.YAML, "gates: {}\n");
        assertRefused(run("validate", "--plan", plan.toString()), plan, "2 MiB");
        Path compose = oversized("big-compose.yml", InputLimit.COMPOSE, "services: {}\n");
        assertRefused(run("health-gate", "-f", compose.toString(), "--services", "data-api"), compose, "2 MiB");
        Path baseline = oversized("baseline.json", InputLimit.BASELINE, "{}");
        assertRefused(run("health-gate", "--services", "data-api", "--baseline", baseline.toString()), baseline, "1 MiB");
        Path backup = Files.createDirectories(dir.resolve("backups/20261126-210005Z-pre-rebuild"));
        Path manifest = oversized("backups/20261126-210005Z-pre-rebuild/manifest.json", InputLimit.MANIFEST, "{}");
        EngineRun verify = run("backup", "verify", backup.getFileName().toString(), "--dest", dir.resolve("backups").toString());
        assertEquals(2, verify.exitCode(), verify.all());
        assertTrue(verify.err().contains(manifest.toString()) && verify.err().contains("4 MiB"), verify.all());
    }

    @Test
    void aYamlLineOverItsLengthIsRefusedWithItsLineNumber() throws Exception {
        Path plan = dir.resolve("one-line.yaml");
        Files.writeString(plan, "gates:\n  deploy:\n    description: \"" + "x".repeat(InputLimit.YAML_LINE) + "\"\n");
        EngineRun r = run("validate", "--plan", plan.toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains(plan + ":3: a line of"), r.err());
    }
}
