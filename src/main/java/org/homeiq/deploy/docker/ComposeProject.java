package org.homeiq.deploy.docker;

import java.nio.file.Path;
import java.util.List;

/**
 * What only Docker Compose does for one HomeIQ project: build images and (re)create, restart,
 * stop and start services. The real one runs the compose CLI (v2 plugin or v1) with argument
 * arrays; unit tests use an in-memory fake. Reads never come here: they are {@link DockerEngine}'s.
 *
 * <p>{@link #build} returns its result (a failed build is a check result); the other commands
 * throw {@link org.homeiq.deploy.EnvironmentException} when compose fails.
 */
public interface ComposeProject {

    /** The compose project name, as compose writes it into the {@code com.docker.compose.project} label. */
    String name();

    /** The project directory (compose's {@code --project-directory}). */
    Path projectDir();

    /** The service names the compose file defines. */
    List<String> services();

    /** Builds the services' images; never touches a running container. */
    ProcessResult build(List<String> services, boolean noCache);

    /** {@code up -d --no-deps --no-build}: (re)creates just these services when their image or config changed. */
    ProcessResult up(List<String> services);

    /** {@code up -d --no-deps --force-recreate --no-build}: a new container even if nothing changed. */
    ProcessResult recreate(List<String> services);

    ProcessResult restart(List<String> services);

    ProcessResult stop(List<String> services);

    ProcessResult start(List<String> services);
}
