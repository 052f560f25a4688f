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
    private final Compression compression;

    public ArchiveWriter(Compression compression) {
        this.compression = compression;
    }

    /** What was written: tar bytes in, archive bytes out, and the archive file's SHA-256. */
    public record Written(Path file, long tarBytes, long archiveBytes, String sha256) {
    }

    /** Copies {@code tar} to {@code file}; read errors of the source propagate as they are. */
    public Written write(InputStream tar, Path file) throws IOException {
        Sink sink = open(file);
        try {
            tar.transferTo(sink);
            return sink.finish();
        } catch (IOException e) {
            if (sink.failure() != null) {
                throw sink.failure();
            }
            throw e;
        } finally {
            sink.abort();
        }
    }

    /**
     * An output stream into the archive file, for a producer that pushes (a process pump). A
     * write failure (disk full, read-only) is kept as {@link #failure()}: an
     * {@link EnvironmentException} naming the file, whatever the producer makes of the IOException.
     */
    public Sink open(Path file) {
        FileOutputStream fileOut;
        try {
            fileOut = new FileOutputStream(file.toFile());
        } catch (IOException e) {
            throw new EnvironmentException("cannot create backup archive " + file + ": " + reason(e), e);
        }
        return new Sink(file, fileOut);
    }

    public final class Sink extends OutputStream {
        private final Path file;
        private final FileOutputStream fileOut;
        private final MessageDigest digest = Sha256.digest();
        private final OutputStream z;
        private long fileBytes;
        private long tarBytes;
        private volatile EnvironmentException failure;
        private boolean closed;

        private Sink(Path file, FileOutputStream fileOut) {
            this.file = file;
            this.fileOut = fileOut;
            OutputStream fileSide = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    try {
                        fileOut.write(b, off, len);
                    } catch (IOException e) {
                        fail(e);
                        throw e; // through the compressor as an IOException, as it expects
                    }
                    fileBytes += len;
                }
            };
            try {
                this.z = compression.compress(new DigestOutputStream(fileSide, digest));
            } catch (IOException e) {
                abort();
                throw fail(e);
            }
        }

        private EnvironmentException fail(IOException e) {
            if (failure == null) {
                failure = new EnvironmentException("cannot write backup archive " + file + ": " + reason(e), e);
            }
            return failure;
        }

        /** The write failure, if the file side failed. */
        public EnvironmentException failure() {
            return failure;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            z.write(b, off, len);
            tarBytes += len;
        }

        /** Flushes the last block, syncs the file to disk and closes it; the archive is then whole. */
        public Written finish() {
            try {
                z.close(); // writes the final compressed frame
                fileOut.getChannel().force(true); // on disk before a rename publishes it
                fileOut.close();
            } catch (IOException e) {
                throw failure != null ? failure : fail(e);
            } finally {
                closed = true;
            }
            return new Written(file, tarBytes, fileBytes, Sha256.hex(digest));
        }

        /** Closes the file without finishing it (the caller removes the partial backup). */
        public void abort() {
            if (!closed) {
                closed = true;
                try {
                    fileOut.close();
                } catch (IOException e) {
                    // already failing; the directory is removed next
                }
            }
        }

        @Override
        public void close() {
            abort();
        }
    }

    static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
