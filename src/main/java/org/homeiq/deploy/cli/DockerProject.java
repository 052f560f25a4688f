package org.homeiq.deploy.cli;

import java.nio.file.Path;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.docker.Compose;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.docker.ProcessRunner;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.report.Console;

/**
 * The HomeIQ project a Docker command works on. Opened in two steps so every kind of bad input
 * (data files, compose file, service names, env file) is found before Docker is contacted: bad
 * input exits 2 with nothing touched even when Docker is down.
 */
final class DockerProject {
    private final ProjectOptions options;
    private final DockerOptions dockerOptions;
    private final Deployment deployment;
    private final ComposeFile composeFile;
    private Docker docker;
    private Compose compose;

    private DockerProject(ProjectOptions options, DockerOptions dockerOptions, Deployment deployment, ComposeFile composeFile) {
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
        return new DockerProject(options, dockerOptions, d, cf);
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

    /** Contacts Docker: CLI missing or daemon down → EnvironmentException (exit 3). */
    void connect() {
        ProcessRunner runner = new ProcessRunner();
        docker = Docker.connect(runner);
        compose = options.compose(runner, options.projectName());
    }

    Docker docker() {
        return docker;
    }

    Compose compose() {
        return compose;
    }

    ComposeFile composeFile() {
        return composeFile;
    }

    /** Where the engine keeps state that must outlive a run: {@code <project-dir>/.homeiq}. */
    Path stateDir() {
        return options.stateDir();
    }
}
