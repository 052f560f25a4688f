package org.homeiq.deploy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.secrets.Dotenv;
import org.homeiq.deploy.secrets.DotenvAudit;
import org.homeiq.deploy.secrets.DotenvRender;
import org.homeiq.deploy.secrets.KeyCatalog;
import org.homeiq.deploy.secrets.Masker;
import org.homeiq.deploy.secrets.PrivateFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dotenv render|check|audit|keys}: the {@code .env} compose reads, without ever showing a value. */
@Command(name = "dotenv",
        description = "Render, check and audit HomeIQ's .env; no value is ever printed.",
        subcommands = {DotenvCommand.Render.class, DotenvCommand.Check.class, DotenvCommand.Audit.class,
            DotenvCommand.Keys.class})
final class DotenvCommand implements Runnable {
    @ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: render, check, audit or keys (try 'dotenv --help').");
    }

    /** The bundled key catalog, or the one given with --keys. */
    static KeyCatalog catalog(Path keysFile) {
        return keysFile == null ? KeyCatalog.bundled() : KeyCatalog.load(keysFile);
    }

    /** Parses a .env, registering every value that parses with the masker, even when a line is malformed. */
    static Dotenv read(Path file, KeyCatalog catalog, Masker masker) {
        return Dotenv.parse(file, e -> catalog.register(e, masker));
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = {"Writes the .env compose reads: the template's keys, each secret's value taken from"
                + " the environment variable " + DotenvRender.ENV_PREFIX + "<KEY> (never from the command line).",
                "The file is written atomically and readable only by its owner (0600)."})
    static final class Render implements Callable<Integer> {
        @ParentCommand
        DotenvCommand parent;

        @Mixin
        ProjectOptions project;

        @Option(names = "--template", paramLabel = "FILE", required = true,
                description = "Template with every key, relative to the project directory; secret keys empty (per-key mode)"
                        + " or a whole .env (file mode).")
        Path template;

        @Option(names = "--out", paramLabel = "FILE", required = true,
                description = "Where to write the .env; keep it outside the workspace's tracked files.")
        Path out;

        @Option(names = "--keys", paramLabel = "FILE", description = "Key catalog instead of the bundled dotenv.yaml.")
        Path keys;

        @Option(names = "--allow-missing", description = "Write the file even when required keys are missing.")
        boolean allowMissing;

        /** Where secret values come from; the process environment outside tests. */
        Map<String, String> environment = System.getenv();

        @Override
        public Integer call() {
            Console console = parent.main.console();
            Masker masker = console.masker();
            KeyCatalog catalog = catalog(keys);
            Path templateFile = project.projectDir().resolve(template);
            Dotenv templ = read(templateFile, catalog, masker);
            Dotenv rendered = DotenvRender.render(templ, environment, catalog, masker);
            List<KeyCatalog.Key> missing = catalog.missingRequired(rendered);
            if (!missing.isEmpty() && !allowMissing) {
                throw new BadInputException(templateFile + ": required keys missing or empty: " + names(missing)
                        + " (nothing written; --allow-missing writes anyway)");
            }
            PrivateFile.write(out, DotenvRender.format(rendered,
                    "Rendered by homeiq-deploy dotenv render from " + template.getFileName()
                    + ".\nHolds secrets: never commit, copy or print it."));
            int fromEnv = 0;
            for (Dotenv.Entry e : rendered.entries()) {
                boolean bound = environment.containsKey(DotenvRender.ENV_PREFIX + e.key());
                fromEnv += bound ? 1 : 0;
                console.line("  %-24s %s", e.key(), bound ? "from " + DotenvRender.ENV_PREFIX + e.key()
                        : catalog.isSecret(e.key()) ? "from the template (secret)" : "from the template");
            }
            console.line("dotenv: wrote %d keys (%d from credentials) to %s (mode 0600)",
                    rendered.entries().size(), fromEnv, out.toAbsolutePath().normalize());
            for (KeyCatalog.Key k : missing) {
                console.line("dotenv: warning: required key %s is missing or empty", k.key());
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Checks a .env: syntax (errors name the line), and that every required key has a value.",
                "Exit 0 fine, 1 required keys missing, 2 malformed. Values are never printed."})
    static final class Check implements Callable<Integer> {
        @ParentCommand
        DotenvCommand parent;

        @Mixin
        ProjectOptions project;

        @Parameters(paramLabel = "FILE", description = "The .env to check.")
        Path file;

        @Option(names = "--keys", paramLabel = "FILE", description = "Key catalog instead of the bundled dotenv.yaml.")
        Path keys;

        @Override
        public Integer call() {
            Console console = parent.main.console();
            KeyCatalog catalog = catalog(keys);
            Dotenv env = read(file, catalog, console.masker());
            for (Dotenv.Entry e : env.entries()) {
                String kind = catalog.find(e.key()).map(k -> k.secret() ? "secret" : "setting")
                        .orElse("not in the catalog (masked as a secret)");
                console.line("  %-24s line %-4d %-6s %s", e.key(), e.line(), e.value().isEmpty() ? "empty" : "set", kind);
            }
            List<KeyCatalog.Key> missing = catalog.missingRequired(env);
            for (KeyCatalog.Key k : missing) {
                console.line("missing: %s (%s)%s", k.key(), k.description(),
                        k.aliases().isEmpty() ? "" : ", or " + String.join(", ", k.aliases()));
            }
            if (!missing.isEmpty()) {
                console.line("dotenv check: %s: %d required key(s) missing or empty", file, missing.size());
                return ExitCode.CHECK_FAILED;
            }
            console.line("dotenv check: %s: %d keys, every required key set", file, env.entries().size());
            return ExitCode.OK;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = {"Looks for .env leaks in the project directory: .env tracked or not ignored by git,"
                + " readable by others, plaintext .env.backup* copies.",
                "Reports paths, never contents. Exit 0 nothing found, 1 findings."})
    static final class Audit implements Callable<Integer> {
        @ParentCommand
        DotenvCommand parent;

        @Mixin
        ProjectOptions project;

        @Override
        public Integer call() {
            Console console = parent.main.console();
            Path dir = project.projectDir();
            if (!Files.isDirectory(dir)) {
                throw new BadInputException("--project-dir " + dir + ": no such directory");
            }
            DotenvAudit.Result result = DotenvAudit.run(dir);
            result.notes().forEach(n -> console.line("note: " + n));
            result.findings().forEach(f -> console.line("finding: " + f));
            console.line("dotenv audit: %s: %d finding(s)", dir, result.findings().size());
            return result.findings().isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = {"Lists the template's secret keys and the Jenkins credential each is bound from,"
                + " one 'KEY credential-id' per line (read by the homeiqWithDotenv step).",
                "Convention: credential id = homeiq- + the key in lower-case kebab (OPENAI_API_KEY ->"
                + " homeiq-openai-api-key), unless dotenv.yaml names another."})
    static final class Keys implements Callable<Integer> {
        @ParentCommand
        DotenvCommand parent;

        @Mixin
        ProjectOptions project;

        @Option(names = "--template", paramLabel = "FILE", required = true,
                description = "The committed template, relative to the project directory.")
        Path template;

        @Option(names = "--keys", paramLabel = "FILE", description = "Key catalog instead of the bundled dotenv.yaml.")
        Path keys;

        @Override
        public Integer call() {
            Console console = parent.main.console();
            KeyCatalog catalog = catalog(keys);
            Dotenv templ = read(project.projectDir().resolve(template), catalog, console.masker());
            for (String[] binding : DotenvRender.credentialBindings(templ, catalog)) {
                console.line(binding[0] + " " + binding[1]);
            }
            return ExitCode.OK;
        }
    }

    private static String names(List<KeyCatalog.Key> keys) {
        return String.join(", ", keys.stream().map(KeyCatalog.Key::key).toList());
    }
}
