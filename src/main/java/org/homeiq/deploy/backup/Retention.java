package org.homeiq.deploy.backup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which backups {@code --keep N} removes: all but the N newest, oldest first, except that the
 * newest verified backup always stays, even when N newer unverified ones exist, because it is the
 * last one known to restore.
 */
final class Retention {
    static final Comparator<StoredBackup> OLDEST_FIRST =
            Comparator.comparing(StoredBackup::createdAt).thenComparing(StoredBackup::id);

    private Retention() {
    }

    static List<StoredBackup> toPrune(List<StoredBackup> backups, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1");
        }
        var sorted = new ArrayList<>(backups);
        sorted.sort(OLDEST_FIRST);
        StoredBackup newestVerified = null;
        for (StoredBackup b : sorted) {
            if (b.verified()) {
                newestVerified = b;
            }
        }
        var prune = new ArrayList<StoredBackup>();
        for (int i = 0; i < sorted.size() - keep; i++) {
            if (sorted.get(i) != newestVerified) {
                prune.add(sorted.get(i));
            }
        }
        return prune;
    }
}
