package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.secrets.Masker;
import org.homeiq.deploy.secrets.SecretSearch;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every engine command, run with a known secret registered through {@code --env-file}: the
 * secret and its encodings must appear nowhere in stdout, stderr or the files it writes. Commands
 * are found from the CLI itself, so a command added later is covered without touching this test.
 */
class SecretLeakTest {
    /** Safe in a file name, so it can be planted in paths the engine prints. */
    static final String PATH_SECRET = "Pr0v0k3d-s3cret-9d1f";
    /** Every encoding differs from the value. */
    static final String ODD_SECRET = "Zq9/Tk+n \"q\" & 'x' %20==";
    /** What JSON, XML and shells escape, and a line break (a double-quoted .env value carries it as \n). */
    static final String MARKUP_SECRET = "K<ey>\"&'\\$%\nline-two<&>";
    /** The same characters but the line break: a file name can carry them, so it is planted in a path. */
    static final String PATH_MARKUP_SECRET = "m<k>&\"q'\\$%-77e";

    @TempDir
    Path tmp;

    private final SecretSearch pathSecret = new SecretSearch(PATH_SECRET);
    private final SecretSearch oddSecret = new SecretSearch(ODD_SECRET);
    private final List<SecretSearch> all = List.of(pathSecret, oddSecret, new SecretSearch(MARKUP_SECRET),
            new SecretSearch(PATH_MARKUP_SECRET));

    private Path envFile() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path env = in.resolve("rendered.env");
        Files.writeString(env, String.join("\n",
                "HOME_ASSISTANT_URL=http://127.0.0.1:48123",
                "HOME_ASSISTANT_TOKEN=" + PATH_SECRET,
                "API_KEY=\"" + ODD_SECRET.replace("\"", "\\\"") + "\"",
                "OPENAI_API_KEY=" + SecretSearch.dotenvQuoted(MARKUP_SECRET),
                "WEATHER_API_KEY=" + SecretSearch.dotenvQuoted(PATH_MARKUP_SECRET),
                "LOG_LEVEL=INFO", ""));
        return env;
    }

    private void assertNoLeak(String what, EngineRun run, Path written) {
        for (SecretSearch s : all) {
            s.assertAbsent(what + " stdout/stderr", run.all());
            if (written != null && Files.exists(written)) {
                s.assertAbsentInFiles(written, f -> true);
            }
        }
    }

    /** Leaf commands of the CLI, as argument prefixes ({@code dotenv render}, {@code plan}, ...). */
    static List<List<String>> leafCommands() {
        var root = Main.commandLine(new Console(new PrintStream(PrintStream.nullOutputStream()),
                new PrintStream(PrintStream.nullOutputStream()), new Masker()));
        var leaves = new ArrayList<List<String>>();
        collect(root, List.of(), leaves);
        return leaves;
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> leaves) {
        if (cl.getSubcommands().isEmpty()) {
            leaves.add(path);
            return;
        }
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // skip aliases
                var p = new ArrayList<>(path);
                p.add(name);
                collect(sub, p, leaves);
            }
        });
    }

    private static boolean hasOption(List<String> command, String name) {
        CommandLine cl = Main.commandLine(new Console(new PrintStream(PrintStream.nullOutputStream()),
                new PrintStream(PrintStream.nullOutputStream()), new Masker()));
        for (String c : command) {
            cl = cl.getSubcommands().get(c);
        }
        return cl.getCommandSpec().findOption(name) != null;
    }

    @TestFactory
    Stream<DynamicTest> everyCommandMasksTheSecretInAPathItReports() {
        List<List<String>> leaves = leafCommands();
        assertTrue(leaves.contains(List.of("dotenv", "render")), leaves.toString());
        return leaves.stream().filter(c -> !c.equals(List.of("demo"))).map(command -> DynamicTest.dynamicTest(
                String.join(" ", command), () -> {
                    Path out = Files.createDirectories(tmp.resolve("out-" + String.join("-", command)));
                    var args = new ArrayList<>(command);
                    args.addAll(List.of("--env-file", envFile().toString(),
                            // A project directory that does not exist, named with the secret: every
                            // command that reports it must mask it.
                            "--project-dir", tmp.resolve("missing-" + PATH_SECRET).resolve(PATH_MARKUP_SECRET).toString()));
                    if (hasOption(command, "--json")) {
                        args.addAll(List.of("--json", out.resolve("result.json").toString()));
                    }
                    if (hasOption(command, "--junit")) {
                        args.addAll(List.of("--junit", out.resolve("junit.xml").toString()));
                    }
                    EngineRun run = EngineRun.of(args.toArray(String[]::new));
                    assertFalse(run.err().contains("internal error"), run.all());
                    assertNoLeak(String.join(" ", command), run, out);
                    EngineRun help = EngineRun.of(Stream.concat(command.stream(), Stream.of("--help")).toArray(String[]::new));
                    assertEquals(0, help.exitCode(), help.all());
                    assertTrue(help.out().contains("--env-file"), "every command takes --env-file: " + help.out());
                }));
    }

    @Test
    void auditMasksASecretInTheNameOfABackupCopy() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve(".env.backup_" + PATH_SECRET), "API_KEY=" + PATH_SECRET + "\n");
        EngineRun run = EngineRun.of("dotenv", "audit", "--env-file", envFile().toString(), "--project-dir", project.toString());
        assertEquals(1, run.exitCode(), run.all());
        assertTrue(run.out().contains(".env.backup_" + Masker.MASK + " is a plaintext copy"), run.out());
        assertNoLeak("audit", run, project.resolve("none"));
    }

    @Test
    void aSecretPastedAsAStrayArgumentIsMaskedInTheError() throws Exception {
        for (String secret : List.of(ODD_SECRET, MARKUP_SECRET, PATH_MARKUP_SECRET)) {
            EngineRun run = EngineRun.of("dotenv", "check", "--env-file", envFile().toString(), envFile().toString(), secret);
            assertEquals(2, run.exitCode(), run.all());
            assertTrue(run.err().contains(Masker.MASK), run.err());
            assertNoLeak("stray argument", run, null);
        }
    }

    @Test
    void renderLeavesTheSecretOnlyInTheRenderedFile() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("render"));
        Files.writeString(work.resolve(".env.template"), DotenvCommandTest.TEMPLATE);
        Path out = work.resolve("secret-" + PATH_SECRET + "/.env");
        EngineRun run = EngineProcess.run(work, Map.of(
                "HOMEIQ_SECRET_HOME_ASSISTANT_TOKEN", PATH_SECRET,
                "HOMEIQ_SECRET_INFLUXDB_TOKEN", "influx-token-value",
                "HOMEIQ_SECRET_API_KEY", ODD_SECRET.replace("\"", "")),
                "dotenv", "render", "--template", ".env.template", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.out().contains("secret-" + Masker.MASK), "the out path is printed, masked: " + run.out());
        assertNoLeak("render", run, null);
        // The search finds what is there: the rendered file holds the value, and it is the only file that does.
        assertFalse(pathSecret.hits(Files.readString(out)).isEmpty());
        Files.delete(out);
        Files.move(out.getParent(), work.resolve("renamed"));
        pathSecret.assertAbsentInFiles(work, f -> true);
    }
}
