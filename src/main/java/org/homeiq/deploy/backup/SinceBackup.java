package org.homeiq.deploy.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.secrets.FingerprintKey;

/**
 * What changed in the project since a backup was made: the compose file (by its SHA-256 in the
 * manifest) and the {@code .env} (by fingerprints). Told before a restore changes anything, since
 * the restore runs the compose file and {@code .env} as they are now.
 */
public final class SinceBackup {
    private SinceBackup() {
    }

    /**
     * Lines for the stage log; a changed compose file starts with {@code WARNING}.
     *
     * @param envFile the {@code .env} compose uses now, or null when there is none
     */
    public static List<String> changes(StoredBackup b, Path composeFile, Path envFile, FingerprintKey key) {
        var out = new ArrayList<String>();
        Manifest.ComposeCopy then = b.manifest().composeFile();
        if (then != null && then.sha256() != null) {
            String now;
            try {
                now = Sha256.of(Files.readAllBytes(composeFile));
            } catch (IOException e) {
                throw new BadInputException(composeFile + ": cannot read (" + e.getClass().getSimpleName() + ")");
            }
            if (!now.equals(then.sha256())) {
                out.add("WARNING: " + composeFile + " changed since backup " + b.id() + ": sha256 " + then.sha256()
                        + " then, " + now + " now. The restore runs the file as it is now; the backup's copy is "
                        + b.file(then.file()));
            }
        }
        Manifest.EnvFingerprint env = b.manifest().env();
        if (env != null && envFile != null) {
            out.addAll(EnvFingerprints.changes(env, envFile, key));
        }
        return out;
    }
}
