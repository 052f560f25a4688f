package org.homeiq.deploy.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.homeiq.deploy.EnvironmentException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ArchiveTest {
    @TempDir
    Path tmp;

    private static byte[] sampleTar() throws IOException {
        byte[] random = new byte[300_000];
        new Random(7).nextBytes(random);
        return new TarFixtures().dir("./", 0755).file("./data.bin", random, 0600)
                .file("./log.txt", "GET /health 200\n".repeat(5000), 0644)
                .symlink("./current", "data.bin").bytes();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void writeThenVerifyMatchesTheRecordedChecksum(Compression c) throws IOException {
        byte[] tar = sampleTar();
        Path file = tmp.resolve("v" + c.suffix());
        var w = new ArchiveWriter(c).write(new ByteArrayInputStream(tar), file);
        assertEquals(tar.length, w.tarBytes());
        assertEquals(Files.size(file), w.archiveBytes());
        assertEquals(Sha256.of(Files.readAllBytes(file)), w.sha256());
        var s = ArchiveReader.verify(file, c, w.sha256(), w.tarBytes());
        assertEquals(4, s.entries());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void oneFlippedByteFailsVerification(Compression c) throws IOException {
        Path file = tmp.resolve("v" + c.suffix());
        var w = new ArchiveWriter(c).write(new ByteArrayInputStream(sampleTar()), file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        var ex = assertThrows(BackupFailedException.class, () -> ArchiveReader.verify(file, c, w.sha256(), w.tarBytes()));
        assertTrue(ex.getMessage().contains(file.getFileName().toString()), ex.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void truncatedArchiveFailsVerification(Compression c) throws IOException {
        Path file = tmp.resolve("v" + c.suffix());
        var w = new ArchiveWriter(c).write(new ByteArrayInputStream(sampleTar()), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThrows(BackupFailedException.class, () -> ArchiveReader.verify(file, c, w.sha256(), w.tarBytes()));
    }

    @Test
    void missingArchiveIsReportedAsPartial() {
        var ex = assertThrows(BackupFailedException.class,
                () -> ArchiveReader.verify(tmp.resolve("gone.tar.zst"), Compression.ZSTD, "00", 1));
        assertTrue(ex.getMessage().contains("partial"), ex.getMessage());
    }

    @Test
    void garbageIsNotAnArchive() throws IOException {
        Path file = tmp.resolve("junk.tar.zst");
        Files.writeString(file, "this is not zstd at all");
        assertThrows(BackupFailedException.class, () -> ArchiveReader.scan(file, Compression.ZSTD));
    }

    @Test
    void copySafeReemitsTheSameEntriesAndData() throws IOException {
        byte[] tar = sampleTar();
        Path file = tmp.resolve("v.tar.zst");
        new ArchiveWriter(Compression.ZSTD).write(new ByteArrayInputStream(tar), file);
        var sink = new ByteArrayOutputStream();
        ArchiveReader.copySafe(file, Compression.ZSTD, sink);
        try (var a = new TarArchiveInputStream(new ByteArrayInputStream(tar));
                var b = new TarArchiveInputStream(new ByteArrayInputStream(sink.toByteArray()))) {
            var ea = a.getNextEntry();
            while (ea != null) {
                var eb = b.getNextEntry();
                assertEquals(ea.getName(), eb.getName());
                assertEquals(ea.getMode(), eb.getMode());
                assertEquals(ea.getLinkName(), eb.getLinkName());
                assertArrayEquals(a.readAllBytes(), b.readAllBytes());
                ea = a.getNextEntry();
            }
            assertEquals(null, b.getNextEntry());
        }
    }

    @Test
    void copySafeStopsBeforeAnEscapingEntry() throws IOException {
        byte[] tar = new TarFixtures().file("ok.txt", "fine", 0644).symlink("evil", "/etc").file("after.txt", "x", 0644).bytes();
        Path file = tmp.resolve("v.tar.zst");
        new ArchiveWriter(Compression.ZSTD).write(new ByteArrayInputStream(tar), file);
        var sink = new ByteArrayOutputStream();
        var ex = assertThrows(BackupFailedException.class, () -> ArchiveReader.copySafe(file, Compression.ZSTD, sink));
        assertTrue(ex.getMessage().contains("'evil'"), ex.getMessage());
        String emitted = sink.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(!emitted.contains("evil") && !emitted.contains("after.txt"), "nothing after the unsafe entry is written");
    }

    @Test
    void diskFullWhileWritingIsAnEnvironmentError() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "/dev/full not available");
        var ex = assertThrows(EnvironmentException.class,
                () -> new ArchiveWriter(Compression.ZSTD).write(new ByteArrayInputStream(sampleTar()), full));
        assertTrue(ex.getMessage().contains("No space left on device"), ex.getMessage());
    }
}
