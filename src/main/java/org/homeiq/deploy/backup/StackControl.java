package org.homeiq.deploy.backup;

import java.util.List;
import java.util.Optional;
import org.homeiq.deploy.docker.ContainerState;

/** What backup and restore ask of the running stack; compose in production. */
public interface StackControl {
    void stop(List<String> services);

    void start(List<String> services);

    /** New containers from the images the compose file names now (after a retag). */
    void recreate(List<String> services);

    /** The service's container, if it has one. */
    Optional<ContainerState> container(String service);
}
