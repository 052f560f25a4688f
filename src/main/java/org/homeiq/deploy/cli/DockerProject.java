package org.homeiq.deploy.cli;

import java.nio.file.Path;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.docker.ComposeCli;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.ComposeProject;
import org.homeiq.deploy.docker.DockerEngine;
import org.homeiq.deploy.docker.DockerVolumes;
import org.homeiq.deploy.docker.EngineApi;
import org.homeiq.deploy.docker.ProcessRunner;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.report.Console;

/**
 * The HomeIQ project a Docker command works on. Opened in two steps so every kind of bad input
 * (data files, compose file, service names, env file) is found before Docker is contacted: bad
 * input exits 2 with nothing touched even when Docker is down.
 */
final class DockerProject implements AutoCloseable {
    private final ProjectOptions options;
    private final DockerOptions dockerOptions;
    private final Deployment deployment;
    private final ComposeFile composeFile;
    private final Console console;
    private ComposeCli compose;
    private EngineApi engine;

    private DockerProject(ProjectOptions options, DockerOptions dockerOptions, Deployment deployment, ComposeFile composeFile,
            Console console) {
        this.console = console;
        this.options = options;
        this.dockerOptions = dockerOptions;
        this.deployment = deployment;
        this.composeFile = composeFile;
    }

    /**
     * Reads the data files and the compose file: bad input throws, nothing else happens. The env
     * file was parsed, and its values registered with the masker, when picocli read --env-file.
     */
    static DockerProject open(ProjectOptions options, DockerOptions dockerOptions, Console console) {
        Deployment d = options.deployment();
        ComposeFile cf = ComposeFile.read(options.composeFile());
        options.composeEnv(); // compose reads the default .env itself: a broken one is bad input here
        return new DockerProject(options, dockerOptions, d, cf, console);
    }

    Console console() {
        return console;
    }

    Deployment deployment() {
        return deployment;
    }

    /** Every name must be a service of the compose file too (the inventory was checked already). */
    void requireInCompose(List<String> names) {
        for (String n : names) {
            if (!composeFile.hasService(n)) {
                throw new BadInputException("service '" + n + "' is not in " + composeFile.path() + " (it has: "
                        + String.join(", ", composeFile.services().stream().map(ComposeFile.ComposeService::name).toList()) + ")");
            }
        }
    }

    /**
     * Contacts Docker: daemon down or its socket missing, or no compose CLI → EnvironmentException
     * (exit 3). The Engine API client is made here, once per run (its classes load only in
     * commands that come this far).
     */
    void connect() {
        compose = options.compose(new ProcessRunner(), options.projectName()).startDetecting();
        engine = EngineApi.connect();
        compose.flavour(); // no compose CLI: exit 3 now, before anything changes
    }

    /**
     * The same for a command that only looks (health-gate): the Engine API client, and no look for
     * the compose CLI, which it never runs.
     */
    void connectForReading() {
        compose = options.compose(new ProcessRunner(), options.projectName());
        engine = EngineApi.connect();
    }

    /** Docker's state, images, tags and events through the Engine API (one client for the run). */
    DockerEngine engine() {
        return engine;
    }

    /** Volumes and their content, through the same Engine API client. */
    DockerVolumes volumes() {
        return engine;
    }

    /** What only compose does (build, up, restart, stop, start), for this project. */
    ComposeProject composeProject() {
        return compose;
    }

    ComposeFile composeFile() {
        return composeFile;
    }

    /** Ends the Engine API client (and its event streams), if {@link #connect()} made one. */
    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Where the engine keeps state that must outlive a run: {@code <project-dir>/.homeiq}. */
    Path stateDir() {
        return options.stateDir();
    }
}
