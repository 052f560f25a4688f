package org.homeiq.deploy.backup;

import java.util.Optional;
import java.util.function.Function;
import org.homeiq.deploy.docker.ImageInfo;

/**
 * The images a backup's restore points keep must still be on the Docker host: a backup whose
 * image is gone cannot put its service back, so {@code backup verify} fails (exit 1) and a restore
 * refuses before anything is touched.
 */
public final class RestorePointImages {
    private RestorePointImages() {
    }

    /**
     * The image id to put back for {@code p}: the recorded one, which the restore tag should still point at.
     *
     * @param image looks an image up by id or reference on the Docker host
     * @throws BackupFailedException when it is gone, saying what the tag points at now
     */
    public static String source(Manifest.RestorePoint p, Function<String, Optional<ImageInfo>> image) {
        if (image.apply(p.imageId()).isPresent()) {
            return p.imageId();
        }
        String now = image.apply(p.restoreTag()).map(ImageInfo::id)
                .map(id -> "; " + p.restoreTag() + " now points at " + Restore.shortId(id)).orElse("");
        throw new BackupFailedException("restore-point image " + p.restoreTag() + " (" + Restore.shortId(p.imageId())
                + ") of service " + p.service() + " no longer exists on this Docker host" + now + "; nothing was changed");
    }

    /** Every restore point's image is there; throws naming the first that is not. */
    public static void requireAll(Manifest m, Function<String, Optional<ImageInfo>> image) {
        for (Manifest.RestorePoint p : m.images()) {
            source(p, image);
        }
    }
}
