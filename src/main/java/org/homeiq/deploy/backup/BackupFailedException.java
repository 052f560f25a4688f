package org.homeiq.deploy.backup;

/**
 * A backup or restore ran and failed its check: an archive does not match its checksum, is cut
 * short, holds an entry that would escape its volume, or a restore point is gone. Exit code 1.
 */
public class BackupFailedException extends RuntimeException {
    public BackupFailedException(String message) {
        super(message);
    }

    public BackupFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
