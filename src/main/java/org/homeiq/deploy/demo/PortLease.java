package org.homeiq.deploy.demo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ConcurrentHashMap;
import org.homeiq.deploy.EnvironmentException;

/**
 * The right to use one port offset on this machine. The miniature HomeIQ listens on fixed ports,
 * so two stacks on the same offset (two test JVMs of different engineers, two demos) would steal
 * each other's ports; holding an OS file lock makes the second one wait instead. The OS drops the
 * lock when a holder dies, so a killed JVM never blocks the next run.
 */
final class PortLease implements AutoCloseable {
    private static final ConcurrentHashMap<Integer, Semaphore> IN_JVM = new ConcurrentHashMap<>();

    private final Semaphore jvmLock;
    private final FileChannel channel;
    private final FileLock lock;

    private PortLease(Semaphore jvmLock, FileChannel channel, FileLock lock) {
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.lock = lock;
    }

    static PortLease acquire(int offset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // A semaphore, not a lock: a stack may be closed by another thread than the one that made it.
        Semaphore jvm = IN_JVM.computeIfAbsent(offset, o -> new Semaphore(1));
        try {
            if (!jvm.tryAcquire(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new EnvironmentException("port offset " + offset + " stayed in use by another miniature HomeIQ in this process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted waiting for port offset " + offset, e);
        }
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "homeiq-mini-ports-" + offset + ".lock");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            boolean said = false;
            while (true) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l != null) {
                    return new PortLease(jvm, ch, l);
                }
                if (System.nanoTime() > deadline) {
                    throw new EnvironmentException("port offset " + offset + " stayed in use by another miniature HomeIQ (lock " + file + ")");
                }
                if (!said) {
                    System.err.println("miniature HomeIQ: waiting for another stack on port offset " + offset + " to finish (" + file + ")");
                    said = true;
                }
                Thread.sleep(200);
            }
        } catch (IOException e) {
            close(ch);
            jvm.release();
            throw new EnvironmentException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            close(ch);
            jvm.release();
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted waiting for port offset " + offset, e);
        } catch (RuntimeException e) {
            close(ch);
            jvm.release();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        close(channel);
        jvmLock.release();
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
