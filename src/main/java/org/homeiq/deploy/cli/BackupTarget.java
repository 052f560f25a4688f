package org.homeiq.deploy.cli;

import java.util.List;
import java.util.Optional;
import org.homeiq.deploy.backup.ProjectVolumes;
import org.homeiq.deploy.backup.StackControl;
import org.homeiq.deploy.docker.Compose;
import org.homeiq.deploy.docker.ComposeCli;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.docker.ProcessResult;
import org.homeiq.deploy.docker.ProcessRunner;

/**
 * The Docker side of the compose project a backup or restore works on. Compose is found only when
 * services must be stopped or started (docker-compose v1 is a slow Python start-up); containers
 * are looked up by compose's labels straight from the engine.
 */
final class BackupTarget {
    private static final java.time.Duration QUICK = java.time.Duration.ofSeconds(30);

    private final ProjectOptions project;
    private final ProcessRunner runner;
    private final Docker docker;
    private final String name;
    private Compose compose;

    private BackupTarget(ProjectOptions project, ProcessRunner runner, Docker docker, String name) {
        this.project = project;
        this.runner = runner;
        this.docker = docker;
        this.name = name;
    }

    static BackupTarget connect(ProjectOptions project) {
        var runner = new ProcessRunner();
        return new BackupTarget(project, runner, Docker.connect(runner),
                ComposeCli.projectName(project.projectName(), project.projectDir()));
    }

    /** For a command that already has compose (rollback): same project name, same lookups. */
    static BackupTarget of(Docker docker, Compose compose) {
        var t = new BackupTarget(null, null, docker,
                compose.projectName().orElseGet(() -> ComposeCli.projectName(null, compose.projectDir())));
        t.compose = compose;
        return t;
    }

    Docker docker() {
        return docker;
    }

    ProjectVolumes volumes() {
        return new ProjectVolumes(docker, name);
    }

    private synchronized Compose compose() {
        if (compose == null) {
            // Built like every other command's, so --quiesce stops and starts with the same --env-file.
            compose = project.compose(runner, name);
        }
        return compose;
    }

    /** The stack: compose for stop/start/recreate, the engine's labels for containers. */
    StackControl services() {
        return new StackControl() {
            @Override
            public void stop(List<String> services) {
                compose().stop(services);
            }

            @Override
            public void start(List<String> services) {
                compose().start(services);
            }

            @Override
            public void recreate(List<String> services) {
                compose().recreate(services);
            }

            @Override
            public Optional<ContainerState> container(String service) {
                ProcessResult r = docker.check(QUICK, "ps", "-a", "-q", "--no-trunc",
                        "--filter", "label=com.docker.compose.project=" + name,
                        "--filter", "label=com.docker.compose.service=" + service);
                return r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).findFirst().flatMap(docker::container);
            }
        };
    }
}
