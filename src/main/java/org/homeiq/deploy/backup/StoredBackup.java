package org.homeiq.deploy.backup;

import java.nio.file.Path;
import java.time.Instant;

/** A complete backup on disk; {@code verifiedAt} is when {@code backup verify} last passed, or null. */
public record StoredBackup(String id, Path dir, Manifest manifest, Instant verifiedAt) {
    public Instant createdAt() {
        return Instant.parse(manifest.createdAt());
    }

    public boolean verified() {
        return verifiedAt != null;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }
}
