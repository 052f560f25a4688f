package org.homeiq.deploy.wave;

import java.util.Locale;
import java.util.Optional;
import org.homeiq.deploy.docker.Compose;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.Docker;

/** Which image reference compose runs a service from: the one restore points are made of. */
public final class ServiceImage {
    private ServiceImage() {
    }

    /**
     * The running container's image reference when there is a container (the truth); otherwise the
     * compose file's {@code image:}; otherwise the name compose gives built images
     * ({@code <project>_<service>} in v1, {@code <project>-<service>} in v2).
     */
    public static String reference(org.homeiq.deploy.docker.DockerEngine engine, org.homeiq.deploy.docker.ComposeProject compose,
            ComposeFile file, String service) {
        var running = engine.serviceContainer(compose.name(), service).map(org.homeiq.deploy.docker.ContainerState::image)
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

    public static String reference(Docker docker, Compose compose, ComposeFile file, String service) {
        Optional<String> id = compose.containerId(service);
        if (id.isPresent()) {
            var state = docker.container(id.get());
            if (state.isPresent() && !state.get().image().isBlank()) {
                return state.get().image();
            }
        }
        var declared = file.service(service).map(ComposeFile.ComposeService::image);
        if (declared.isPresent()) {
            return declared.get();
        }
        String project = compose.projectName().orElse(compose.projectDir().getFileName().toString())
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        return project + (compose.flavour() == Compose.Flavour.V1 ? "_" : "-") + service;
    }
}
