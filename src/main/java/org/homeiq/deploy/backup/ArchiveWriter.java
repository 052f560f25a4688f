package org.homeiq.deploy.backup;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.homeiq.deploy.EnvironmentException;

/**
 * Streams a tar stream (a volume, as the helper container reads it) into a compressed archive
 * file, computing the SHA-256 of the file as it is written: one pass, nothing held in memory.
 */
public final class ArchiveWriter {
    private static final int BUFFER = 256 * 1024;

    private final Compression compression;

    public ArchiveWriter(Compression compression) {
        this.compression = compression;
    }

    /** What was written: tar bytes in, archive bytes out, and the archive file's SHA-256. */
    public record Written(Path file, long tarBytes, long archiveBytes, String sha256) {
    }

    /**
     * Copies {@code tar} to {@code file}. A failure to write (disk full, read-only) is an
     * {@link EnvironmentException} naming the file; a failure to read the source is an
     * {@link IOException} for the caller, who knows what the source was.
     */
    public Written write(InputStream tar, Path file) throws IOException {
        MessageDigest digest = Sha256.digest();
        long tarBytes = 0;
        var counting = new long[1];
        try (FileOutputStream fileOut = openForWrite(file)) {
            OutputStream raw = new DigestOutputStream(new FileSide(fileOut, counting), digest);
            try (OutputStream z = compression.compress(raw)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = tar.read(buf)) >= 0) { // read errors propagate untagged: the source's
                    z.write(buf, 0, n);
                    tarBytes += n;
                }
            }
            try {
                fileOut.getChannel().force(true); // complete on disk before the rename publishes it
            } catch (IOException e) {
                throw new WriteFailure(e);
            }
        } catch (WriteFailure e) {
            throw new EnvironmentException("cannot write backup archive " + file + ": " + reason(e.getCause()), e.getCause());
        }
        return new Written(file, tarBytes, counting[0], Sha256.hex(digest));
    }

    private static FileOutputStream openForWrite(Path file) {
        try {
            return new FileOutputStream(file.toFile());
        } catch (IOException e) {
            throw new EnvironmentException("cannot create backup archive " + file + ": " + reason(e), e);
        }
    }

    static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Marks an IOException as coming from the archive file, not from the source stream. */
    private static final class WriteFailure extends IOException {
        WriteFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Counts bytes on their way to the file; write errors are tagged as the file's. */
    private static final class FileSide extends OutputStream {
        private final OutputStream out;
        private final long[] count;

        FileSide(OutputStream out, long[] count) {
            this.out = out;
            this.count = count;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new WriteFailure(e);
            }
            count[0]++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new WriteFailure(e);
            }
            count[0] += len;
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new WriteFailure(e);
            }
        }
    }
}
