package org.homeiq.deploy.wave;

import java.util.Locale;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.ComposeProject;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.DockerEngine;

/** Which image reference compose runs a service from: the one restore points are made of. */
public final class ServiceImage {
    private ServiceImage() {
    }

    /**
     * The running container's image reference when there is a container (the truth); otherwise the
     * compose file's {@code image:}; otherwise the name compose gives built images
     * ({@code <project>_<service>} in v1, {@code <project>-<service>} in v2).
     */
    public static String reference(DockerEngine engine, ComposeProject compose, ComposeFile file, String service) {
        var running = engine.serviceContainer(compose.name(), service).map(ContainerState::image)
                .filter(i -> !i.isBlank());
        if (running.isPresent()) {
            return running.get();
        }
        var declared = file.service(service).map(ComposeFile.ComposeService::image);
        if (declared.isPresent()) {
            return declared.get();
        }
        // Compose names built images <project>-<service> (v2) or <project>_<service> (v1): whichever exists.
        String project = compose.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        String v1 = project + "_" + service;
        return engine.image(v1).isPresent() ? v1 : project + "-" + service;
    }
}
