package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.homeiq.deploy.backup.ArchiveWriter;
import org.homeiq.deploy.backup.BackupStore;
import org.homeiq.deploy.backup.Compression;
import org.homeiq.deploy.backup.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** backup, backup list and backup verify without Docker: bad input, listing and verification on real files. */
class BackupCommandTest {
    @TempDir
    Path dir;

    @BeforeEach
    void composeFile() throws IOException {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  data-api:
                    image: x/data-api:latest
                    volumes: ["sqlite-data:/data"]
                volumes:
                  sqlite-data: {}
                """);
    }

    private EngineRun run(String... args) {
        var all = new java.util.ArrayList<String>(List.of(args));
        all.add("--project-dir");
        all.add(dir.toString());
        return EngineRun.of(all.toArray(String[]::new));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--label|bad tag!|--label",
        "--label|-starts-with-dash|--label",
        "--keep|0|--keep",
        "--keep|many|--keep",
        "--volumes|influxdb_data|--volumes",
        "--quiesce|no-such-service|--quiesce",
        "--compression|lz4|--compression",
        "--env-file|missing.env|--env-file",
    })
    void garbageOptionsExitTwoAndWriteNothing(String option, String value, String named) {
        EngineRun r = run("backup", option, value, "--helper-image", "none-needed");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains(named), r.err());
        assertFalse(Files.exists(dir.resolve(".homeiq")), "nothing written");
    }

    @Test
    void malformedEnvFileNamesTheLineNotTheValue() throws IOException {
        Files.writeString(dir.resolve(".env"), "OK=1\nHA_TOKEN is eyJhbGciOi-pasted\n");
        EngineRun r = run("backup");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains(".env:2"), r.err());
        assertFalse(r.all().contains("eyJhbGciOi"), r.all());
    }

    @Test
    void malformedComposeFileIsBadInput() throws IOException {
        Files.writeString(dir.resolve("docker-compose.yml"), "services: [unclosed\n");
        EngineRun r = run("backup");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("docker-compose.yml"), r.err());
    }

    @Test
    void verifyRejectsBadAndUnknownIds() {
        EngineRun bad = run("backup", "verify", "../../etc");
        assertEquals(2, bad.exitCode(), bad.all());
        assertTrue(bad.err().contains("ID"), bad.err());
        EngineRun unknown = run("backup", "verify", "20990101-000000Z-nope");
        assertEquals(2, unknown.exitCode(), unknown.all());
        assertTrue(unknown.err().contains("no backup"), unknown.err());
        EngineRun format = run("backup", "list", "--format", "xml");
        assertEquals(2, format.exitCode(), format.all());
    }

    /** A backup made by hand (no Docker): one volume archive, the manifest, committed. */
    private String storeBackup(BackupStore store, String label, Instant t) throws IOException {
        String id = store.newId(t, label);
        var p = store.begin(id);
        byte[] tar = tarWithOneFile();
        var w = new ArchiveWriter(Compression.ZSTD).write(new ByteArrayInputStream(tar), p.dir().resolve("sqlite-data.tar.zst"));
        p.commit(new Manifest(1, id, label, t.toString(), "p", null,
                List.of(new Manifest.VolumeArchive("sqlite-data", "p_sqlite-data", "sqlite-data.tar.zst", "zstd",
                        w.tarBytes(), w.archiveBytes(), w.sha256())), List.of(), null, List.of()));
        return id;
    }

    private static byte[] tarWithOneFile() throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("./db.sqlite");
            byte[] content = "SQLite format 3\0".repeat(1000).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void listVerifyAndCorruption() throws IOException {
        var store = new BackupStore(dir.resolve(".homeiq/backups"));
        String old = storeBackup(store, "nightly", Instant.parse("2026-11-25T01:00:00Z"));
        String id = storeBackup(store, "pre-rebuild", Instant.parse("2026-11-26T01:00:00Z"));

        EngineRun list = run("backup", "list");
        assertEquals(0, list.exitCode(), list.all());
        assertTrue(list.out().indexOf(old) < list.out().indexOf(id), "oldest first: " + list.out());
        assertTrue(list.out().contains("never"), list.out());
        assertColumnsLineUp(list.out());

        EngineRun ok = run("backup", "verify", id);
        assertEquals(0, ok.exitCode(), ok.all());
        assertTrue(ok.out().contains("sqlite-data"), ok.out());
        EngineRun json = run("backup", "list", "--format", "json");
        assertTrue(json.out().contains("\"verifiedAt\" : \"20"), json.out());

        Path archive = store.root().resolve(id).resolve("sqlite-data.tar.zst");
        byte[] b = Files.readAllBytes(archive);
        b[b.length / 2] ^= 0x40;
        Files.write(archive, b);
        EngineRun bad = run("backup", "verify", id);
        assertEquals(1, bad.exitCode(), bad.all());
        assertTrue(bad.err().contains("sqlite-data.tar.zst"), bad.err());
        assertTrue(run("backup", "list", "--format", "json").out().contains("\"verifiedAt\" : null"), "verification mark cleared");
        // A verified backup (a longer VERIFIED cell) next to unverified ones, a longer label: still aligned.
        storeBackup(store, "a-much-longer-label-than-the-others-have", Instant.parse("2026-11-27T01:00:00Z"));
        assertEquals(0, run("backup", "verify", old).exitCode());
        assertColumnsLineUp(run("backup", "list").out());
    }

    /** Every column starts at the same offset in every line as in the header. */
    private static void assertColumnsLineUp(String table) {
        List<String> lines = table.lines().filter(l -> !l.isBlank()).toList();
        String header = lines.get(0);
        for (String column : List.of("CREATED", "SIZE", "VERIFIED", "VOLUMES")) {
            int at = header.indexOf(column);
            for (String line : lines.subList(1, lines.size())) {
                assertTrue(line.length() > at && line.charAt(at - 1) == ' ' && line.charAt(at) != ' ',
                        column + " at " + at + " in:\n" + table);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--backup 20990101-000000Z-nope --all|no backup",
        "--backup ../../etc --all|--backup",
        "--label pre-rebuild --restore-volumes --all|--restore-volumes",
        "--backup x --services no-such-service|no-such-service",
        "--backup x|--services",
    })
    void rollbackFromBackupBadInputExitsTwo(String args, String named) {
        var all = new java.util.ArrayList<String>(List.of("rollback"));
        all.addAll(List.of(args.split(" ")));
        EngineRun r = run(all.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains(named), r.err());
    }
}
