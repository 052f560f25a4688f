package org.homeiq.deploy.rollback;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.docker.ComposeProject;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.DockerEngine;
import org.homeiq.deploy.docker.ImageInfo;
import org.homeiq.deploy.docker.ImageRef;
import org.homeiq.deploy.report.Console;

/**
 * Puts one service back on a restore-point image: the image it runs now is kept under
 * {@code failed-<yyyyMMdd-HHmmss>} for diagnosis, the restore point is tagged back as the image
 * compose runs, and the service is recreated with {@code up -d --no-deps --no-build} (never a
 * build). Idempotent: when the reference already points at the restore point only the
 * {@code up} runs, which leaves a container already on that image alone.
 */
public final class ServiceRollback {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final DockerEngine engine;
    private final ComposeProject compose;
    private final Console console;

    public ServiceRollback(DockerEngine engine, ComposeProject compose, Console console) {
        this.engine = engine;
        this.compose = compose;
        this.console = console;
    }

    /**
     * @param service the compose service
     * @param imageRef the image reference compose runs it from
     * @param restoreImageId the image id to go back to
     * @return what was done, for the report
     */
    public List<String> restore(String service, String imageRef, String restoreImageId) {
        var done = retag(service, imageRef, restoreImageId);
        compose.up(List.of(service));
        done.add("redeployed on " + shortId(restoreImageId));
        console.line("  %s: back on image %s (%s), redeployed with up -d --no-deps", service, shortId(restoreImageId), imageRef);
        return done;
    }

    /**
     * After an {@code up} that failed half-way (compose stopped the old container, then could not
     * make the new one): the restore point is tagged back, the previous container is started again
     * when it is still there, and the service is recreated from the restore point when it is not.
     * Throws EnvironmentException when compose cannot do either; the caller says the service is down.
     *
     * @param restoreImageId the image to go back to, or null when there was none (only the old container can come back)
     */
    public List<String> putBack(String service, String imageRef, String restoreImageId) {
        var done = restoreImageId == null ? new ArrayList<String>() : retag(service, imageRef, restoreImageId);
        // A start-time refusal (e.g. a missing device) leaves compose v1's new container created beside the
        // renamed old one, and `start` tries the new one and fails again: it goes, so the old one can start.
        engine.serviceContainer(compose.name(), service).filter(c -> "created".equals(c.status())).ifPresent(c -> {
            engine.removeContainer(c.id());
            done.add("removed the new container " + shortId(c.id()) + ", which never started");
            console.line("  %s: removed the new container %s, which never started", service, shortId(c.id()));
        });
        String startFailed = null;
        try {
            compose.start(List.of(service));
        } catch (EnvironmentException e) {
            startFailed = e.getMessage();
        }
        Optional<ContainerState> c = engine.serviceContainer(compose.name(), service);
        if (c.isPresent() && c.get().running()) {
            done.add("previous container " + shortId(c.get().id()) + " started again");
            console.line("  %s: previous container %s started again", service, shortId(c.get().id()));
            return done;
        }
        if (restoreImageId == null) {
            throw new EnvironmentException("the previous container did not start again" + (startFailed == null ? "" : ": " + startFailed)
                    + ", and there is no restore point to recreate it from");
        }
        compose.up(List.of(service));
        done.add("recreated from the restore point " + shortId(restoreImageId));
        console.line("  %s: recreated from the restore point %s (%s)", service, shortId(restoreImageId), imageRef);
        return done;
    }

    /** Keeps what the reference points at now as failed-<time> and points it back at the restore point. */
    private List<String> retag(String service, String imageRef, String restoreImageId) {
        var done = new ArrayList<String>();
        Optional<ImageInfo> current = engine.image(imageRef);
        if (current.isPresent() && !current.get().id().equals(restoreImageId)) {
            String failed = ImageRef.parse(imageRef).withTag("failed-" + STAMP.format(Instant.now())).toString();
            engine.tag(current.get().id(), failed);
            done.add("kept the failed image as " + failed);
            console.line("  %s: kept the failed image %s as %s", service, shortId(current.get().id()), failed);
        }
        if (current.isEmpty() || !current.get().id().equals(restoreImageId)) {
            engine.tag(restoreImageId, imageRef);
            done.add("tagged restore point " + shortId(restoreImageId) + " as " + imageRef);
        }
        return done;
    }

    public static String shortId(String id) {
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
