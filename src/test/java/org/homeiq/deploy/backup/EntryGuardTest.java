package org.homeiq.deploy.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntryGuardTest {
    private static List<TarArchiveEntry> entries(byte[] tar) throws IOException {
        var out = new ArrayList<TarArchiveEntry>();
        try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    private static TarArchiveEntry only(TarFixtures t) throws IOException {
        List<TarArchiveEntry> all = entries(t.bytes());
        assertEquals(1, all.size());
        return all.get(0);
    }

    @Test
    void acceptsOrdinaryEntriesAndNormalisesDotSlash() throws IOException {
        var all = entries(new TarFixtures().dir("./", 0755).dir("./db", 0700).file("./db/a.sqlite", "x", 0600)
                .symlink("./db/current", "a.sqlite").symlink("./db/up", "../db/a.sqlite")
                .hardlink("./db/b.sqlite", "./db/a.sqlite").bytes());
        var names = new ArrayList<String>();
        for (var e : all) {
            names.add(EntryGuard.check(e));
        }
        assertEquals(List.of("", "db", "db/a.sqlite", "db/current", "db/up", "db/b.sqlite"), names);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../outside", "./a/../../outside", "a/../../../x"})
    void refusesPathsThatEscape(String name) throws IOException {
        var e = only(new TarFixtures().file(name, "owned", 0644));
        var ex = assertThrows(BackupFailedException.class, () -> EntryGuard.check(e));
        assertTrue(ex.getMessage().contains("unsafe archive entry"), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc", "../x", "../../etc/passwd", "a/../../x"})
    void refusesSymlinksPointingOutside(String target) throws IOException {
        var e = only(new TarFixtures().symlink("link", target));
        var ex = assertThrows(BackupFailedException.class, () -> EntryGuard.check(e));
        assertTrue(ex.getMessage().contains("link"), ex.getMessage());
    }

    @Test
    void refusesSymlinkClimbingOutFromASubdirectory() throws IOException {
        var e = only(new TarFixtures().symlink("a/b/link", "../../../etc"));
        assertThrows(BackupFailedException.class, () -> EntryGuard.check(e));
        // One level less stays inside: allowed.
        var ok = only(new TarFixtures().symlink("a/b/link", "../../etc"));
        assertEquals("a/b/link", EntryGuard.check(ok));
    }

    @Test
    void refusesHardLinksOutsideAndDevices() throws IOException {
        var hard = only(new TarFixtures().hardlink("h", "/etc/shadow"));
        assertThrows(BackupFailedException.class, () -> EntryGuard.check(hard));
        var hardUp = only(new TarFixtures().hardlink("h", "../etc/shadow"));
        assertThrows(BackupFailedException.class, () -> EntryGuard.check(hardUp));
        var dev = only(new TarFixtures().device("null"));
        var ex = assertThrows(BackupFailedException.class, () -> EntryGuard.check(dev));
        assertTrue(ex.getMessage().contains("device"), ex.getMessage());
    }
}
