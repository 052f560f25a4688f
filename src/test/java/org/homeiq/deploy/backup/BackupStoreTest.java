package org.homeiq.deploy.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.secrets.FingerprintKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupStoreTest {
    @TempDir
    Path root;

    private static Manifest manifest(String id, Instant t) {
        return new Manifest(1, id, "pre-rebuild", t.toString(), "homeiq", null,
                List.of(new Manifest.VolumeArchive("v", "p_v", "v.tar.zst", "zstd", 1, 1, "00")), List.of(), null, List.of());
    }

    @Test
    void aBackupIsInvisibleUntilCommittedAndGoneWhenAborted() throws IOException {
        var store = new BackupStore(root);
        var p = store.begin("20261126-100000Z-a");
        Files.writeString(p.dir().resolve("v.tar.zst"), "half");
        assertEquals(List.of(), store.list(), "a pending backup is not listed");
        p.abort();
        assertFalse(Files.exists(p.dir()));
        try (var s = Files.list(root)) {
            assertEquals(0, s.count(), "nothing left behind");
        }

        var q = store.begin("20261126-100000Z-a");
        var b = q.commit(manifest("20261126-100000Z-a", Instant.parse("2026-11-26T10:00:00Z")));
        assertEquals(root.resolve("20261126-100000Z-a"), b.dir());
        assertEquals(List.of("20261126-100000Z-a"), store.list().stream().map(StoredBackup::id).toList());
        assertEquals("pre-rebuild", store.find("20261126-100000Z-a", "ID").manifest().label());
    }

    @Test
    void verifiedMarkerSurvivesOnlyForTheSameManifest() throws IOException {
        var store = new BackupStore(root);
        var b = store.begin("x").commit(manifest("x", Instant.parse("2026-11-26T10:00:00Z")));
        store.markVerified(b, Instant.parse("2026-11-26T11:00:00Z"));
        assertTrue(store.find("x", "ID").verified());
        Files.writeString(b.dir().resolve(Manifest.FILE),
                Files.readString(b.dir().resolve(Manifest.FILE)).replace("pre-rebuild", "edited"));
        assertFalse(store.find("x", "ID").verified(), "an edited manifest is no longer verified");
    }

    @Test
    void pruneRemovesOldestAndKeepsNewestVerified() {
        var store = new BackupStore(root);
        for (int i = 1; i <= 4; i++) {
            var b = store.begin("b" + i).commit(manifest("b" + i, Instant.parse("2026-11-26T10:0" + i + ":00Z")));
            if (i == 2) {
                store.markVerified(b, Instant.now());
            }
        }
        var removed = store.prune(1);
        assertEquals(List.of("b1", "b3"), removed.stream().map(StoredBackup::id).toList());
        assertEquals(List.of("b2", "b4"), store.list().stream().map(StoredBackup::id).toList());
    }

    @Test
    void directoriesWithoutAManifestAreNotListed() throws IOException {
        Files.createDirectories(root.resolve("stray"));
        Files.createDirectories(root.resolve(".tmp-x-1234"));
        Files.writeString(root.resolve(".tmp-x-1234").resolve(Manifest.FILE), "{}");
        assertEquals(List.of(), new BackupStore(root).list());
        var ex = assertThrows(BackupFailedException.class, () -> new BackupStore(root).find("stray", "ID"));
        assertTrue(ex.getMessage().contains("partial"), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "", ".hidden", "x..y", "bad id", "x\u0000"})
    void invalidIdsAreBadInput(String id) {
        var ex = assertThrows(BadInputException.class, () -> new BackupStore(root).find(id, "ID"));
        assertTrue(ex.getMessage().startsWith("ID:"), ex.getMessage());
    }

    @Test
    void unknownIdIsBadInput() {
        assertThrows(BadInputException.class, () -> new BackupStore(root).find("nope", "ID"));
    }

    @Test
    void idsSortByTimeAndNeverCollide() throws IOException {
        var store = new BackupStore(root);
        Instant t = Instant.parse("2026-11-26T21:00:05Z");
        assertEquals("20261126-210005Z-pre-rebuild", store.newId(t, "pre-rebuild"));
        Files.createDirectories(root.resolve("20261126-210005Z-pre-rebuild"));
        assertEquals("20261126-210005Z-pre-rebuild-2", store.newId(t, "pre-rebuild"));
    }

    @Test
    void malformedEnvNamesFileAndLineButNotTheContent() throws IOException {
        Path env = root.resolve(".env");
        Files.writeString(env, "OK=1\njust-a-pasted-secret\n");
        var ex = assertThrows(BadInputException.class, () -> EnvFingerprints.of(env, FingerprintKey.in(root)));
        assertTrue(ex.getMessage().contains(".env:2"), ex.getMessage());
        assertFalse(ex.getMessage().contains("pasted-secret"), ex.getMessage());
    }
}
