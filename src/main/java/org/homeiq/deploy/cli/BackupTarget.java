package org.homeiq.deploy.cli;

import java.util.List;
import java.util.Optional;
import org.homeiq.deploy.backup.HelperContainer;
import org.homeiq.deploy.backup.ProjectVolumes;
import org.homeiq.deploy.backup.StackControl;
import org.homeiq.deploy.docker.ComposeCli;
import org.homeiq.deploy.docker.ComposeProject;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.DockerEngine;
import org.homeiq.deploy.docker.DockerVolumes;
import org.homeiq.deploy.docker.EngineApi;
import org.homeiq.deploy.docker.ProcessRunner;

/**
 * The Docker side of the compose project a backup or restore works on. Compose is found only when
 * services must be stopped or started (docker-compose v1 is a slow Python start-up); containers
 * are looked up by compose's labels through the Engine API.
 */
final class BackupTarget {
    private final ProjectOptions project;
    private final DockerEngine engine;
    private final DockerVolumes docker;
    private final String name;
    private ComposeProject compose;

    private BackupTarget(ProjectOptions project, DockerEngine engine, DockerVolumes docker, String name) {
        this.project = project;
        this.engine = engine;
        this.docker = docker;
        this.name = name;
    }

    static BackupTarget connect(ProjectOptions project) {
        EngineApi api = EngineApi.connect();
        return new BackupTarget(project, api, api, ComposeCli.projectName(project.projectName(), project.projectDir()));
    }

    /** For a command that is connected already (rollback): its client, its compose, same lookups. */
    static BackupTarget of(DockerProject p) {
        var t = new BackupTarget(null, p.engine(), p.volumes(), p.composeProject().name());
        t.compose = p.composeProject();
        return t;
    }

    /** The run's one client; closing it ends the run's Docker connection. */
    DockerEngine engine() {
        return engine;
    }

    ProjectVolumes volumes() {
        return new ProjectVolumes(docker, name);
    }

    /** Copies volume content through this client, from {@code preferred} when it is on the host (null: a stack image). */
    HelperContainer helper(String preferred) {
        return new HelperContainer(engine, docker, preferred);
    }

    private synchronized ComposeProject compose() {
        if (compose == null) {
            // Built like every other command's, so --quiesce stops and starts with the same --env-file.
            compose = project.compose(new ProcessRunner(), name);
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
