package org.homeiq.deploy.backup;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Reads a volume archive to the very end: every compressed byte through SHA-256, every tar entry
 * through {@link EntryGuard}. Used to verify a backup and, with a sink, to feed a restore a tar
 * stream made only of entries that passed the guard.
 */
public final class ArchiveReader {
    private static final int BUFFER = 256 * 1024;

    /** What reading found: the file's SHA-256, the tar stream's length, and its entry count. */
    public record Scanned(String sha256, long tarBytes, long entries) {
    }

    private ArchiveReader() {
    }

    /** Reads the whole archive and checks every entry; throws {@link BackupFailedException} on any fault. */
    public static Scanned scan(Path file, Compression compression) {
        return read(file, compression, null);
    }

    /**
     * Like {@link #scan}, and writes each checked entry to {@code sink} as a tar stream. An unsafe
     * entry stops the copy before it is written.
     */
    public static Scanned copySafe(Path file, Compression compression, OutputStream sink) {
        return read(file, compression, sink);
    }

    /** Checks the archive against what the manifest recorded. */
    public static Scanned verify(Path file, Compression compression, String expectedSha256, long expectedTarBytes) {
        Scanned s = scan(file, compression);
        requireMatch(file, s, expectedSha256, expectedTarBytes);
        return s;
    }

    static void requireMatch(Path file, Scanned s, String expectedSha256, long expectedTarBytes) {
        if (!s.sha256().equals(expectedSha256)) {
            throw new BackupFailedException("archive " + file.getFileName() + " is corrupt: SHA-256 is "
                    + s.sha256() + ", the manifest recorded " + expectedSha256);
        }
        if (s.tarBytes() != expectedTarBytes) {
            throw new BackupFailedException("archive " + file.getFileName() + " is incomplete: it holds "
                    + s.tarBytes() + " bytes of tar, the manifest recorded " + expectedTarBytes);
        }
    }

    private static Scanned read(Path file, Compression compression, OutputStream sink) {
        MessageDigest digest = Sha256.digest();
        long entries = 0;
        try (InputStream raw = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER), digest)) {
            var tarCount = new Counting(new BufferedInputStream(compression.decompress(raw), BUFFER));
            // Not closed: closing the tar reader would close raw before we drain it.
            var tar = new TarArchiveInputStream(tarCount);
            TarArchiveOutputStream out = sink == null ? null : tarOut(sink);
            byte[] buf = new byte[BUFFER];
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                EntryGuard.check(entry);
                if (out != null) {
                    out.putArchiveEntry(entry);
                }
                int n;
                while ((n = tar.read(buf)) >= 0) { // every data byte, so truncation surfaces here
                    if (out != null) {
                        out.write(buf, 0, n);
                    }
                }
                if (out != null) {
                    out.closeArchiveEntry();
                }
                entries++;
            }
            if (out != null) {
                out.finish();
                out.flush();
            }
            drain(tarCount, buf); // tar's end-of-archive padding
            drain(raw, buf); // anything after the compressed frame still counts for the checksum
            return new Scanned(Sha256.hex(digest), tarCount.count, entries);
        } catch (NoSuchFileException e) {
            throw new BackupFailedException("archive " + file + " is missing: the backup is partial");
        } catch (IOException | RuntimeException e) {
            if (e instanceof BackupFailedException b) {
                throw b;
            }
            throw new BackupFailedException("archive " + file.getFileName() + " cannot be read to the end: "
                    + ArchiveWriter.reason(e), e);
        }
    }

    static TarArchiveOutputStream tarOut(OutputStream sink) {
        var out = new TarArchiveOutputStream(sink, BUFFER);
        // GNU long names and base-256 numbers: what busybox and GNU tar in the helper both read.
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
        out.setAddPaxHeadersForNonAsciiNames(false);
        return out;
    }

    private static void drain(InputStream in, byte[] buf) throws IOException {
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Read instead of skip so every byte is counted (and decompressed, hence checked).
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }
    }
}
