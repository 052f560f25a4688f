package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.homeiq.deploy.secrets.Dotenv;
import org.homeiq.deploy.secrets.SecretSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotenvCommandTest {
    static final String HA_TOKEN = "eyJhbGciOiJIUzI1NiJ9.ha-Tok3n+/x";
    static final String API_KEY = "k3y with 'quote' & %20 space";

    static final String TEMPLATE = String.join("\n",
            "# committed: settings and empty secrets",
            "HOME_ASSISTANT_URL=http://127.0.0.1:48123",
            "HOME_ASSISTANT_TOKEN=",
            "INFLUXDB_URL=http://127.0.0.1:48086",
            "INFLUXDB_TOKEN=",
            "INFLUXDB_ORG=homeiq",
            "INFLUXDB_BUCKET=home_assistant_events",
            "API_KEY=",
            "LOG_LEVEL=INFO",
            "");

    static final Map<String, String> CREDENTIALS = Map.of(
            "HOMEIQ_SECRET_HOME_ASSISTANT_TOKEN", HA_TOKEN,
            "HOMEIQ_SECRET_INFLUXDB_TOKEN", "influx-" + HA_TOKEN,
            "HOMEIQ_SECRET_API_KEY", API_KEY);

    @TempDir
    Path dir;

    @Test
    void renderTakesSecretsFromTheEnvironmentWritesOwnerOnlyAndPrintsNoValue() throws Exception {
        Files.writeString(dir.resolve(".env.template"), TEMPLATE);
        EngineRun run = EngineProcess.run(dir, CREDENTIALS,
                "dotenv", "render", "--template", ".env.template", "--out", "private/.env");
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.out().contains("HOME_ASSISTANT_TOKEN") && run.out().contains("from HOMEIQ_SECRET_"), run.out());
        assertTrue(run.out().contains("wrote 8 keys (3 from credentials)"), run.out());
        for (String secret : List.of(HA_TOKEN, API_KEY)) {
            new SecretSearch(secret).assertAbsent("render output", run.all());
        }
        Path out = dir.resolve("private/.env");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        Dotenv rendered = Dotenv.parse(out);
        assertEquals(HA_TOKEN, rendered.get("HOME_ASSISTANT_TOKEN").orElseThrow().value());
        assertEquals(API_KEY, rendered.get("API_KEY").orElseThrow().value());
        assertEquals("INFO", rendered.get("LOG_LEVEL").orElseThrow().value());
    }

    @Test
    void renderWithoutACredentialForASecretIsBadInputAndWritesNothing() throws Exception {
        Files.writeString(dir.resolve("t.env"), TEMPLATE);
        EngineRun run = EngineProcess.run(dir, Map.of("HOMEIQ_SECRET_API_KEY", API_KEY),
                "dotenv", "render", "--template", "t.env", "--out", "out.env");
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.err().contains("t.env:3: HOME_ASSISTANT_TOKEN is a secret and HOMEIQ_SECRET_HOME_ASSISTANT_TOKEN is not set"),
                run.err());
        assertFalse(Files.exists(dir.resolve("out.env")));
        new SecretSearch(API_KEY).assertAbsent("render error", run.all());
    }

    @Test
    void renderRefusesATemplateWithoutRequiredKeys() throws Exception {
        Files.writeString(dir.resolve("t.env"), "LOG_LEVEL=INFO\n");
        EngineRun run = EngineProcess.run(dir, Map.of(), "dotenv", "render", "--template", "t.env", "--out", "o.env");
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.err().contains("required keys missing or empty: HOME_ASSISTANT_URL, HOME_ASSISTANT_TOKEN"), run.err());
        assertFalse(Files.exists(dir.resolve("o.env")));
    }

    @Test
    void renderNeedsTemplateAndOut() {
        EngineRun run = EngineRun.of("dotenv", "render", "--out", dir.resolve("x").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--template"), run.err());
    }

    @Test
    void checkListsKeysWithoutValuesAndPassesACompleteFile() throws Exception {
        Path env = rendered();
        EngineRun run = EngineRun.of("dotenv", "check", env.toString());
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.out().contains("every required key set"), run.out());
        assertTrue(run.out().contains("HOME_ASSISTANT_TOKEN") && run.out().contains("secret"), run.out());
        new SecretSearch(HA_TOKEN).assertAbsent("check output", run.all());
        new SecretSearch(API_KEY).assertAbsent("check output", run.all());
    }

    @Test
    void checkFailsNamingTheMissingRequiredKeys() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "HA_HTTP_URL=http://ha\nHA_TOKEN=" + HA_TOKEN + "\nINFLUXDB_URL=u\nINFLUXDB_ORG=o\n");
        EngineRun run = EngineRun.of("dotenv", "check", env.toString());
        assertEquals(1, run.exitCode(), run.all());
        assertTrue(run.out().contains("missing: INFLUXDB_TOKEN"), run.out());
        assertTrue(run.out().contains("missing: API_KEY"), run.out());
        assertFalse(run.out().contains("missing: HOME_ASSISTANT_TOKEN"), "the alias HA_TOKEN counts: " + run.out());
        new SecretSearch(HA_TOKEN).assertAbsent("check output", run.all());
    }

    @Test
    void checkOfAMalformedFileIsBadInputNamingEachLineNeverTheValue() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, String.join("\n",
                "API_KEY=" + API_KEY.replace(" ", "_"),
                HA_TOKEN,
                "HOME_ASSISTANT_TOKEN=\"" + HA_TOKEN,
                "1BAD=" + HA_TOKEN,
                "API_KEY=again",
                ""));
        EngineRun run = EngineRun.of("dotenv", "check", env.toString());
        assertEquals(2, run.exitCode(), run.all());
        for (String expected : List.of(":2: no '='", ":3: the double quote", ":4: the name before '='",
                ":5: API_KEY is set twice (first on line 1)")) {
            assertTrue(run.err().contains(env + expected), expected + " in " + run.err());
        }
        new SecretSearch(HA_TOKEN).assertAbsent("check error", run.all());
        new SecretSearch(API_KEY.replace(" ", "_")).assertAbsent("check error", run.all());
    }

    @Test
    void keysListsTheCredentialEachSecretOfTheTemplateIsBoundFrom() throws Exception {
        Files.writeString(dir.resolve("t.env"), TEMPLATE + "HA_TOKEN=\nMY_OWN=x\n");
        EngineRun run = EngineRun.of("dotenv", "keys", "--template", dir.resolve("t.env").toString());
        assertEquals(0, run.exitCode(), run.all());
        assertEquals(List.of("HOME_ASSISTANT_TOKEN homeiq-home-assistant-token", "INFLUXDB_TOKEN homeiq-influxdb-token",
                "API_KEY homeiq-api-key", "HA_TOKEN homeiq-home-assistant-token"), run.out().lines().toList());
    }

    @Test
    void auditFindsTrackedEnvAndPlaintextBackupsWithoutReadingThemOut() throws Exception {
        git("init", "-q");
        Path env = rendered(dir.resolve(".env"));
        Files.writeString(dir.resolve(".env.template"), TEMPLATE);
        git("add", ".env", ".env.template");
        Path backup = dir.resolve(".env.backup_20260204_101500");
        Files.copy(env, backup);
        Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectories(dir.resolve("infrastructure"));
        Files.copy(env, dir.resolve("infrastructure/.env.backup"));

        EngineRun run = EngineRun.of("dotenv", "audit", "--project-dir", dir.toString());
        assertEquals(1, run.exitCode(), run.all());
        assertTrue(run.out().contains("finding: .env is tracked by git"), run.out());
        assertFalse(run.out().contains(".env.template is tracked"), "templates are meant to be tracked: " + run.out());
        assertTrue(run.out().contains("finding: .env.backup_20260204_101500 is a plaintext copy of .env, readable by other users (rw-r--r--)"), run.out());
        assertTrue(run.out().contains("finding: infrastructure/.env.backup is a plaintext copy"), run.out());
        assertTrue(run.out().contains("3 finding(s)"), run.out());
        new SecretSearch(HA_TOKEN).assertAbsent("audit output", run.all());
    }

    @Test
    void auditOfAnIgnoredPrivateEnvFindsNothing() throws Exception {
        git("init", "-q");
        Files.writeString(dir.resolve(".gitignore"), ".env\n");
        rendered(dir.resolve(".env"));
        EngineRun run = EngineRun.of("dotenv", "audit", "--project-dir", dir.toString());
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.out().contains("0 finding(s)"), run.out());

        Files.delete(dir.resolve(".gitignore"));
        EngineRun unignored = EngineRun.of("dotenv", "audit", "--project-dir", dir.toString());
        assertEquals(1, unignored.exitCode(), unignored.all());
        assertTrue(unignored.out().contains(".env is not ignored by git"), unignored.out());
    }

    @Test
    void auditOfAMissingProjectDirIsBadInput() {
        EngineRun run = EngineRun.of("dotenv", "audit", "--project-dir", dir.resolve("nope").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--project-dir"), run.err());
    }

    @Test
    void malformedEnvFileOptionIsBadInputNamingTheLine() throws Exception {
        Path env = dir.resolve("bad.env");
        Files.writeString(env, "API_KEY=" + HA_TOKEN + "\nAPI_KEY " + HA_TOKEN + "\n");
        EngineRun run = EngineRun.of("dotenv", "audit", "--env-file", env.toString(), "--project-dir", dir.toString());
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.err().contains("--env-file " + env + ":2: no '='"), run.err());
        new SecretSearch(HA_TOKEN).assertAbsent("error", run.all());
        EngineRun missing = EngineRun.of("dotenv", "audit", "--env-file", dir.resolve("none.env").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("none.env: no such file"), missing.err());
    }

    @Test
    void malformedKeyCatalogIsBadInput() throws Exception {
        Path keys = dir.resolve("keys.yaml");
        Files.writeString(keys, "credentialIdPrefix: x-\nkeys: [oops\n");
        Files.writeString(dir.resolve("t.env"), "A=1\n");
        EngineRun run = EngineRun.of("dotenv", "keys", "--template", dir.resolve("t.env").toString(), "--keys", keys.toString());
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.err().contains(keys.toString() + ":"), run.err());
    }

    /** A complete .env as render writes it. */
    private Path rendered() throws Exception {
        return rendered(dir.resolve("r/.env"));
    }

    private Path rendered(Path target) throws Exception {
        var text = new StringBuilder();
        Dotenv.parse("t", TEMPLATE).entries().forEach(e -> text.append(e.key()).append('=')
                .append(CREDENTIALS.containsKey("HOMEIQ_SECRET_" + e.key())
                        ? "'" + CREDENTIALS.get("HOMEIQ_SECRET_" + e.key()) + "'" : e.value()).append('\n'));
        Files.createDirectories(target.getParent());
        Files.writeString(target, text.toString().replace("'k3y with 'quote' & %20 space'", "\"k3y with 'quote' & %20 space\""));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        return target;
    }

    private void git(String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>(List.of("git", "-C", dir.toString(), "-c", "user.name=t", "-c", "user.email=t@t"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "git timed out");
        assertEquals(0, p.exitValue(), "git " + args[0] + ": " + out);
    }
}
