package org.homeiq.deploy.backup;

import java.util.List;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.docker.ProcessResult;

/** Maps the compose file's named volumes to Docker's volumes for one compose project. */
public final class ProjectVolumes {
    private final Docker docker;
    private final String project;

    public ProjectVolumes(Docker docker, String project) {
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
        ProcessResult r = docker.check(HelperContainer.QUICK, "volume", "ls", "-q",
                "--filter", "label=com.docker.compose.project=" + project,
                "--filter", "label=com.docker.compose.volume=" + volume);
        List<String> found = r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        return found.size() == 1 ? found.get(0) : project + "_" + volume;
    }

    public boolean exists(String dockerVolume) {
        return docker.volume(dockerVolume).isPresent();
    }

    /** Creates the volume as compose would, so a later {@code up} adopts it without complaint. */
    public void create(String volume, String dockerVolume) {
        docker.check(HelperContainer.QUICK, "volume", "create",
                "--label", "com.docker.compose.project=" + project,
                "--label", "com.docker.compose.volume=" + volume, dockerVolume);
    }
}
