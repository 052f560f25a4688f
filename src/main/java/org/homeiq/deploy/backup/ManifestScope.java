package org.homeiq.deploy.backup;

import java.util.List;
import java.util.Optional;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.DockerGrammar;

/**
 * A manifest may only name this compose project's own volumes: a crafted one ({@code ../../tmp/x},
 * {@code ..}, another project's volume) is refused by {@code backup verify} and by a restore before
 * any service is stopped. The manifest is data from disk, so every name in it is held to Docker's
 * grammar and to the compose file's named volumes.
 */
public final class ManifestScope {
    private ManifestScope() {
    }

    /**
     * @param compose the project's compose file; empty (verify without a checkout) checks the grammar only
     * @throws BackupFailedException naming the first volume that is not the project's
     */
    public static void require(StoredBackup backup, Optional<ComposeFile> compose) {
        List<String> declared = compose.map(ComposeFile::namedVolumes).orElse(null);
        for (Manifest.VolumeArchive v : backup.manifest().volumes()) {
            String problem = problem(v, declared);
            if (problem != null) {
                throw new BackupFailedException("backup " + backup.id() + " is refused: its manifest names volume '" + v.name()
                        + "', which " + problem + compose.map(c -> " (" + c.path() + " has: "
                                + String.join(", ", declared) + ")").orElse("") + "; nothing was changed");
            }
        }
    }

    private static String problem(Manifest.VolumeArchive v, List<String> declared) {
        if (!DockerGrammar.isVolumeName(v.name()) || v.name().contains("..")) {
            return "is not a Docker volume name (letters, digits, _ . -; no '/' or '..')";
        }
        if (v.dockerVolume() != null && (!DockerGrammar.isVolumeName(v.dockerVolume()) || v.dockerVolume().contains(".."))) {
            return "maps to '" + v.dockerVolume() + "', not a Docker volume name";
        }
        if (!DockerGrammar.isVolumeName(v.file()) || v.file().contains("..")) {
            return "is stored as '" + v.file() + "', not a file of the backup directory";
        }
        if (declared != null && !declared.contains(v.name())) {
            return "is not a named volume of this compose project";
        }
        return null;
    }
}
