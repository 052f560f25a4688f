package org.homeiq.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.homeiq.deploy.cli.EngineRun;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.homeiq.deploy.secrets.Masker;
import org.homeiq.deploy.secrets.SecretSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker commands, run on the real engine with a known secret in {@code --env-file} and a
 * service that logs it raw, base64'd (alone and in an HTTP basic-auth pair), URL-encoded and
 * JSON-escaped: the value and its encodings appear in no stdout, stderr, JSON, JUnit, journal or
 * backup.
 */
@DockerTest
class SecretsE2ETest {
    /**
     * What JSON and XML escape, and a backslash; no single quote or line break (the miniature's
     * settings cannot carry them) and no {@code $} (compose would interpolate it in the .env).
     */
    static final String SECRET = "Zq9/Tk+n \"q\" & <b>\\ %20==tok3n";

    @TempDir
    Path dir;

    private final SecretSearch search = new SecretSearch(SECRET);
    private final List<String> transcript = new ArrayList<>();

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private EngineRun engine(MiniHomeIq mini, String... args) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(mini.engineArgs());
        all.addAll(List.of("--env-file", dir.resolve("in/rendered.env").toString()));
        EngineRun run = EngineRun.of(all.toArray(String[]::new));
        search.assertAbsent(String.join(" ", args), run.all());
        assertFalse(run.all().contains(b64("homeiq:" + SECRET)), "basic-auth form in " + run.all());
        transcript.add(run.all());
        return run;
    }

    @Test
    void dockerCommandsNeverShowTheSecretInAnyForm() throws Exception {
        String logLine = "ERROR upstream refused key=" + SECRET + " basic=" + b64("homeiq:" + SECRET) + " b64=" + b64(SECRET)
                + " url=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8)
                + " json=" + new ObjectMapper().writeValueAsString(SECRET);
        Files.createDirectories(dir.resolve("in"));
        Files.writeString(dir.resolve("in/rendered.env"), "HOME_ASSISTANT_URL=http://127.0.0.1:48123\n"
                + "API_KEY=" + SecretSearch.dotenvQuoted(SECRET) + "\nLOG_LEVEL=INFO\n");
        Path out = Files.createDirectories(dir.resolve("out"));

        try (MiniHomeIq mini = TestStack.create(dir.resolve("p"), "secrets", List.of("data-api"))) {
            mini.configure("data-api", Behaviour.healthy().logLine(logLine));
            mini.start();
            // The plan keeps a plaintext .env in the checkout; backup fingerprints it.
            Files.writeString(mini.projectDir().resolve(".env"), Files.readString(dir.resolve("in/rendered.env")));

            EngineRun gate = engine(mini, "health-gate", "--services", "data-api", "--timeout", "20s", "--log-lines", "50",
                    "--error-pattern", "(?i)error", "--json", out.resolve("gate.json").toString(),
                    "--junit", out.resolve("gate.xml").toString());
            assertEquals(1, gate.exitCode(), gate.all());
            // The line was shown, masked: the search above had something to look at.
            assertTrue(gate.out().contains("key=" + Masker.MASK + " basic="), gate.out());
            assertTrue(gate.out().contains("url=" + Masker.MASK + " json=\"" + Masker.MASK + "\""), gate.out());

            EngineRun backup = engine(mini, "backup", "--label", "pre-secrets", "--helper-image", MiniHomeIq.BASE_IMAGE,
                    "--json", out.resolve("backup.json").toString());
            assertEquals(0, backup.exitCode(), backup.all());
            assertEquals(0, engine(mini, "backup", "list", "--format", "json").exitCode());

            mini.configure("data-api", Behaviour.healthy().version("2").neverGetsHealthy().logLine(logLine));
            EngineRun wave = engine(mini, "rebuild-wave", "--services", "data-api", "--timeout", "8s",
                    "--json", out.resolve("wave.json").toString(), "--junit", out.resolve("wave.xml").toString());
            assertEquals(1, wave.exitCode(), wave.all());
            assertTrue(wave.all().contains(Masker.MASK), "the failing service's log is shown, masked: " + wave.all());

            EngineRun rollback = engine(mini, "rollback", "--label", "pre-rebuild", "--services", "data-api", "--timeout", "20s",
                    "--json", out.resolve("rollback.json").toString(), "--junit", out.resolve("rollback.xml").toString());
            assertTrue(rollback.exitCode() <= 1, rollback.all());

            EngineRun audit = engine(mini, "dotenv", "audit");
            assertTrue(audit.exitCode() <= 1, audit.all());

            // Reports, the journal and the backups (archives, manifest, compose copy).
            try (var reports = Files.list(out)) {
                assertTrue(reports.count() >= 7, "every report was written");
            }
            search.assertAbsentInFiles(out, f -> true);
            search.assertAbsentInFiles(mini.projectDir().resolve(".homeiq"), f -> true);
        }
    }
}
