package org.homeiq.deploy.cli;

import java.util.List;
import java.util.Optional;
import org.homeiq.deploy.backup.StackControl;
import org.homeiq.deploy.backup.ProjectVolumes;
import org.homeiq.deploy.docker.Compose;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.docker.ProcessRunner;

/** The Docker side of the compose project a backup or restore works on, as the options describe it: engine, compose, volumes. */
record BackupTarget(Docker docker, Compose compose, ProjectVolumes volumes) {
    static BackupTarget connect(ProjectOptions project) {
        var runner = new ProcessRunner();
        Docker docker = Docker.connect(runner);
        String name = ProjectVolumes.projectName(project.projectName(), project.projectDir());
        var compose = new Compose(runner, Compose.detect(runner), project.projectDir(), project.composeFile(), name, null);
        return new BackupTarget(docker, compose, new ProjectVolumes(docker, name));
    }

    /** The stack through compose: quiescing, restore points, restarts after a restore. */
    StackControl services() {
        return new StackControl() {
            @Override
            public void stop(List<String> services) {
                compose.stop(services);
            }

            @Override
            public void start(List<String> services) {
                compose.start(services);
            }

            @Override
            public void recreate(List<String> services) {
                compose.recreate(services);
            }

            @Override
            public Optional<ContainerState> container(String service) {
                return compose.containerId(service).flatMap(docker::container);
            }
        };
    }
}
