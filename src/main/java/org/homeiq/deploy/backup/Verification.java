package org.homeiq.deploy.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@code backup verify}: re-reads every file of a backup to the end and compares it with the
 * manifest. A backup that passes is marked verified (retention keeps the newest such); one that
 * fails loses its mark and is refused by restore.
 */
public final class Verification {
    private Verification() {
    }

    /** Checks everything; throws {@link BackupFailedException} naming the first fault. */
    public static void verify(BackupStore store, StoredBackup backup, Consumer<String> progress) {
        try {
            check(backup, progress);
        } catch (BackupFailedException e) {
            store.clearVerified(backup);
            throw new BackupFailedException("backup " + backup.id() + " failed verification: " + e.getMessage(), e);
        }
        store.markVerified(backup, Instant.now());
    }

    static void check(StoredBackup backup, Consumer<String> progress) {
        Manifest m = backup.manifest();
        for (Manifest.VolumeArchive v : m.volumes()) {
            Compression c;
            try {
                c = Compression.byId(v.compression());
            } catch (IllegalArgumentException e) {
                throw new BackupFailedException("volume " + v.name() + ": " + e.getMessage());
            }
            Path file = backup.file(v.file());
            ArchiveReader.Scanned s = ArchiveReader.verify(file, c, v.sha256(), v.tarBytes());
            progress.accept(String.format("  ok  %-24s %s  %d entries, %s  sha256 %s", v.name(), v.file(),
                    s.entries(), Sizes.human(v.tarBytes()), v.sha256().substring(0, 12)));
        }
        if (m.composeFile() != null && m.composeFile().file() != null) {
            Path copy = backup.file(m.composeFile().file());
            try {
                String sha = Sha256.of(Files.readAllBytes(copy));
                if (!sha.equals(m.composeFile().sha256())) {
                    throw new BackupFailedException("compose file copy " + copy.getFileName() + " does not match its checksum");
                }
            } catch (IOException e) {
                throw new BackupFailedException("compose file copy " + copy.getFileName() + " is missing or unreadable");
            }
            progress.accept("  ok  compose file " + m.composeFile().file());
        }
    }
}
