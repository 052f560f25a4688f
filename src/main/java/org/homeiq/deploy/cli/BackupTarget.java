package org.homeiq.deploy.cli;

import java.util.List;
import java.util.Optional;
import org.homeiq.deploy.backup.ProjectVolumes;
import org.homeiq.deploy.backup.StackControl;
import org.homeiq.deploy.docker.Compose;
import org.homeiq.deploy.docker.ComposeCli;
import org.homeiq.deploy.docker.ComposeProject;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.docker.EngineApi;
import org.homeiq.deploy.docker.ProcessRunner;

/**
 * The Docker side of the compose project a backup or restore works on. Compose is found only when
 * services must be stopped or started (docker-compose v1 is a slow Python start-up); containers
 * are looked up by compose's labels through the Engine API.
 */
final class BackupTarget {
    private final ProjectOptions project;
    private final EngineApi engine;
    private final String name;
    private ComposeProject compose;

    private BackupTarget(ProjectOptions project, EngineApi engine, String name) {
        this.project = project;
        this.engine = engine;
        this.name = name;
    }

    static BackupTarget connect(ProjectOptions project) {
        return new BackupTarget(project, EngineApi.connect(), ComposeCli.projectName(project.projectName(), project.projectDir()));
    }

    /** For a command that already has compose (rollback): same project name, same lookups. */
    static BackupTarget of(Docker docker, Compose compose) {
        var t = new BackupTarget(null, docker.engine(), compose.project().name());
        t.compose = compose.project();
        return t;
    }

    EngineApi engine() {
        return engine;
    }

    ProjectVolumes volumes() {
        return new ProjectVolumes(engine, name);
    }

    private synchronized ComposeProject compose() {
        if (compose == null) {
            // Built like every other command's, so --quiesce stops and starts with the same --env-file.
            compose = project.compose(new ProcessRunner(), name).project();
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
                return engine.serviceContainer(name, service);
            }
        };
    }
}
