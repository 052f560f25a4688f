package org.homeiq.deploy.lock;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.model.Durations;

/**
 * One changing run per stack: an OS file lock on {@code <project-dir>/.homeiq/stack.lock}, held by
 * every command that changes the stack for its whole run. The OS releases it when the process
 * dies, however it dies; the holder's description in the file tells a waiting run who holds it.
 * A clean release empties the file, so a description found by a new holder is a stale one: its
 * process died holding the lock, and the new holder says it took over.
 */
public final class StackLock implements AutoCloseable {
    public static final String FILE = "stack.lock";
    /** How often a waiting run tries again: a lock is held for minutes, so this costs nothing. */
    private static final Duration RETRY = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileChannel channel;
    private final FileLock lock;

    private StackLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock for {@code command}, waiting up to {@code wait} for another holder to finish.
     *
     * @throws EnvironmentException when it is still held after {@code wait}, naming the holder (exit 3)
     */
    public static StackLock acquire(Path stateDir, String command, Duration wait, Consumer<String> log) {
        Path file = stateDir.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(stateDir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + wait.toNanos();
            boolean announced = false;
            while (true) {
                FileLock l = tryLock(ch);
                if (l != null) {
                    StackLock held = new StackLock(ch, l);
                    held.takeOver(command, log);
                    return held;
                }
                String holder = holder(ch).map(LockHolder::describe).orElse("a run that has not said who it is yet");
                if (System.nanoTime() - deadline >= 0) {
                    throw new EnvironmentException("the stack is locked by another run that changes it: " + holder
                            + (wait.isZero() ? "; nothing was changed (wait for it with --wait-lock DURATION)"
                                    : "; still held after waiting " + Durations.format(wait) + " (--wait-lock); nothing was changed")
                            + " [lock file " + file + "]");
                }
                if (!announced) {
                    log.accept("stack lock: held by " + holder + "; waiting up to " + Durations.format(wait) + " (--wait-lock)");
                    announced = true;
                }
                Thread.sleep(RETRY.toMillis());
            }
        } catch (IOException e) {
            close(ch);
            throw new EnvironmentException("cannot take the stack lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            close(ch);
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while waiting for the stack lock " + file, e);
        } catch (RuntimeException e) {
            close(ch);
            throw e;
        }
    }

    /** Null when another process (or another run in this JVM, as in tests) holds it. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /**
     * Who holds (or, read by a new holder, last held) the lock; empty when the file is empty or cut
     * short. Read through the locked channel itself: closing any other descriptor of the file would
     * release this process's POSIX lock.
     */
    private static Optional<LockHolder> holder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 64 * 1024));
            while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
                // a holder description is a few hundred bytes
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(text, LockHolder.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void takeOver(String command, Consumer<String> log) throws IOException {
        holder(channel).ifPresent(stale -> log.accept("stack lock: took over the stale lock of " + stale.describe()
                + (stale.goneFromThisHost() ? ": that process is gone" : ": it ended without releasing it")));
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(LockHolder.self(command))), 0);
        channel.force(true);
    }

    /** Empties the holder description (a clean release), then releases the OS lock. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            channel.force(true);
            lock.release();
        } catch (IOException e) {
            // The OS lock goes with the channel below; a description left behind reads as stale.
        } finally {
            close(channel);
        }
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
