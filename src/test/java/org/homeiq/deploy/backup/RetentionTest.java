package org.homeiq.deploy.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static StoredBackup b(String id, int minute, boolean verified) {
        String t = "2026-11-26T10:%02d:00Z".formatted(minute);
        var m = new Manifest(1, id, "x", t, "p", null, List.of(), List.of(), null, List.of());
        return new StoredBackup(id, Path.of(id), m, verified ? Instant.parse(t) : null);
    }

    private static List<String> ids(List<StoredBackup> l) {
        return l.stream().map(StoredBackup::id).toList();
    }

    @Test
    void prunesTheOldestBeyondKeep() {
        var all = List.of(b("c", 3, false), b("a", 1, false), b("d", 4, false), b("b", 2, false));
        assertEquals(List.of("a", "b"), ids(Retention.toPrune(all, 2)));
        assertEquals(List.of(), ids(Retention.toPrune(all, 4)));
        assertEquals(List.of(), ids(Retention.toPrune(all, 10)));
    }

    @Test
    void neverPrunesTheNewestVerified() {
        var all = List.of(b("a", 1, true), b("b", 2, true), b("c", 3, false), b("d", 4, false));
        // keep 1 would leave only the unverified d: b, the newest verified, stays too; a (older verified) goes.
        assertEquals(List.of("a", "c"), ids(Retention.toPrune(all, 1)));
    }
}
