package org.homeiq.deploy.backup;

import static org.homeiq.deploy.docker.ComposeCli.PROJECT_LABEL;
import static org.homeiq.deploy.docker.ComposeCli.VOLUME_LABEL;

import java.util.List;
import java.util.Map;
import org.homeiq.deploy.docker.DockerVolumes;

/** Maps the compose file's named volumes to Docker's volumes for one compose project. */
public final class ProjectVolumes {
    private final DockerVolumes docker;
    private final String project;

    public ProjectVolumes(DockerVolumes docker, String project) {
        this.docker = docker;
        this.project = project;
    }

    public String project() {
        return project;
    }

    /**
     * The Docker volume compose made for {@code volume}: found by compose's labels (right even when
     * the file gives it a {@code name:}), else compose's naming rule {@code <project>_<volume>}.
     */
    public String dockerName(String volume) {
        List<String> found = docker.volumes(Map.of(PROJECT_LABEL, project, VOLUME_LABEL, volume));
        return found.size() == 1 ? found.get(0) : project + "_" + volume;
    }

    public boolean exists(String dockerVolume) {
        return docker.volume(dockerVolume).isPresent();
    }

    /** Creates the volume as compose would, so a later {@code up} adopts it without complaint. */
    public void create(String volume, String dockerVolume) {
        docker.createVolume(dockerVolume, Map.of(PROJECT_LABEL, project, VOLUME_LABEL, volume));
    }

    /** The Docker side of volumes: users, emptying, removal. */
    DockerVolumes docker() {
        return docker;
    }
}
