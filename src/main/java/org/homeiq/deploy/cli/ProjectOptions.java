package org.homeiq.deploy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.load.DeploymentLoader;
import org.homeiq.deploy.secrets.Dotenv;
import org.homeiq.deploy.secrets.KeyCatalog;
import org.homeiq.deploy.secrets.Masker;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options every command shares: where the HomeIQ checkout is and which data files describe it. */
public final class ProjectOptions {
    /** Optional file in the project directory that adapts the bundled data to a real checkout. */
    public static final String PROJECT_FILE = "homeiq-deploy.yaml";

    @Option(names = "--project-dir", paramLabel = "DIR", defaultValue = ".",
            description = "HomeIQ checkout with the compose file; journal and backups go under DIR/.homeiq (default: ${DEFAULT-VALUE}).")
    Path projectDir;

    @Option(names = {"-f", "--compose-file"}, paramLabel = "FILE",
            description = "Compose file, relative to the project directory (default: docker-compose.yml).")
    Path composeFile;

    @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", converter = DockerNames.ProjectName.class,
            description = "Compose project name (default: compose's own, the directory name).")
    String projectName;

    @Option(names = "--inventory", paramLabel = "FILE",
            description = "Extra inventory file; its services override or extend the bundled ones field by field.")
    Path inventoryFile;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "Extra plan file; the days, phases and gates it names replace the bundled ones.")
    Path planFile;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Path envFile;
    private Dotenv env;

    /**
     * Parsed as soon as picocli sees the option, and every value registered with the run's masker,
     * so nothing the command prints afterwards (errors about later options included) shows one.
     */
    @Option(names = "--env-file", paramLabel = "FILE",
            description = "The rendered .env: passed to compose; its values are masked in all output"
                    + " (all but the settings dotenv.yaml calls non-secret, booleans and small numbers).")
    void envFile(Path file) {
        if (file == null) {
            envFile = null;
            env = null;
            return;
        }
        try {
            // Values of lines that parse are registered even when another line is malformed.
            env = DotenvCommand.read(file, KeyCatalog.bundled(), masker());
        } catch (BadInputException e) {
            throw new ParameterException(mixee.commandLine(), "--env-file " + e.getMessage());
        }
        envFile = file.toAbsolutePath().normalize();
    }

    private Masker masker() {
        return ((Main) mixee.root().userObject()).console().masker();
    }

    /**
     * The {@code .env} compose reads: {@code --env-file}, else {@code <project-dir>/.env} when present,
     * which compose reads by itself. That one is parsed here, on first use, like --env-file: its values
     * masked from then on, and a malformed one bad input (exit 2) for every command that uses it.
     */
    public Optional<Path> composeEnv() {
        if (envFile != null) {
            return Optional.of(envFile);
        }
        Path dflt = projectDir().resolve(".env");
        if (!Files.isRegularFile(dflt)) {
            return Optional.empty();
        }
        if (env == null) {
            env = DotenvCommand.read(dflt, KeyCatalog.bundled(), masker());
        }
        return Optional.of(dflt);
    }

    /** The rendered {@code .env} given with {@code --env-file}: compose gets it as {@code --env-file}. */
    public Optional<Path> envFile() {
        return Optional.ofNullable(envFile);
    }

    /** Its parsed entries (their values are already registered with the masker). */
    public Optional<Dotenv> env() {
        return Optional.ofNullable(env);
    }

    public Path projectDir() {
        return projectDir.toAbsolutePath().normalize();
    }

    /** Where the engine keeps state that must outlive a run: {@code <project-dir>/.homeiq}. */
    public Path stateDir() {
        return projectDir().resolve(".homeiq");
    }

    /** The compose file, resolved against the project directory. */
    public Path composeFile() {
        Path f = composeFile == null ? Path.of("docker-compose.yml") : composeFile;
        return projectDir().resolve(f).normalize();
    }

    /** The compose file, read, when it was named or is there (a bad one is bad input); else empty. */
    public Optional<org.homeiq.deploy.docker.ComposeFile> composeFileIfPresent() {
        return composeFileGiven() || Files.isRegularFile(composeFile())
                ? Optional.of(org.homeiq.deploy.docker.ComposeFile.read(composeFile())) : Optional.empty();
    }

    /** Whether the user named a compose file explicitly (then it must exist). */
    public boolean composeFileGiven() {
        return composeFile != null;
    }

    public String projectName() {
        return projectName;
    }

    /** The files layered over the bundled data, in the order they apply. */
    public List<Path> overlayFiles() {
        var files = new ArrayList<Path>();
        Path projectFile = projectDir().resolve(PROJECT_FILE);
        if (Files.isRegularFile(projectFile)) {
            files.add(projectFile);
        }
        if (inventoryFile != null) {
            files.add(inventoryFile);
        }
        if (planFile != null) {
            files.add(planFile);
        }
        return files;
    }

    /**
     * Compose for this project, the one way every command builds it: the rendered env file goes
     * along, so variables in the compose file resolve the same for every command.
     */
    public org.homeiq.deploy.docker.ComposeCli compose(org.homeiq.deploy.docker.ProcessRunner runner, String name) {
        return org.homeiq.deploy.docker.ComposeCli.detecting(runner, projectDir(), composeFile(), name, envFile().orElse(null));
    }

    /** Loads the bundled inventory and plan with the overlays; bad files throw with file and line. */
    public Deployment deployment() {
        return DeploymentLoader.load(overlayFiles());
    }
}
