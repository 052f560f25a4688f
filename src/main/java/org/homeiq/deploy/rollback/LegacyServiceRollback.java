package org.homeiq.deploy.rollback;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.homeiq.deploy.docker.Compose;
import org.homeiq.deploy.docker.Docker;
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
public final class LegacyServiceRollback {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Docker docker;
    private final Compose compose;
    private final Console console;

    public LegacyServiceRollback(Docker docker, Compose compose, Console console) {
        this.docker = docker;
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
        var done = new ArrayList<String>();
        Optional<ImageInfo> current = docker.image(imageRef);
        if (current.isPresent() && !current.get().id().equals(restoreImageId)) {
            String failed = ImageRef.parse(imageRef).withTag("failed-" + STAMP.format(Instant.now())).toString();
            docker.tag(current.get().id(), failed);
            done.add("kept the failed image as " + failed);
            console.line("  %s: kept the failed image %s as %s", service, shortId(current.get().id()), failed);
        }
        if (current.isEmpty() || !current.get().id().equals(restoreImageId)) {
            docker.tag(restoreImageId, imageRef);
            done.add("tagged restore point " + shortId(restoreImageId) + " as " + imageRef);
        }
        compose.up(List.of(service), false);
        done.add("redeployed on " + shortId(restoreImageId));
        console.line("  %s: back on image %s (%s), redeployed with up -d --no-deps", service, shortId(restoreImageId), imageRef);
        return done;
    }

    static String shortId(String id) {
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
