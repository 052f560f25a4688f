package org.homeiq.deploy.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.homeiq.deploy.EnvironmentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackLockTest {
    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void aSecondRunIsRefusedNamingTheHolderAndGetsItOnceReleased() {
        StackLock first = StackLock.acquire(dir, "rebuild-wave wave d1-core", Duration.ZERO, log::add);
        var e = assertThrows(EnvironmentException.class,
                () -> StackLock.acquire(dir, "rollback --journal latest", Duration.ZERO, log::add));
        assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid() + " on "), e.getMessage());
        assertTrue(e.getMessage().contains("'rebuild-wave wave d1-core'"), e.getMessage());
        assertTrue(e.getMessage().contains("--wait-lock"), e.getMessage());
        first.close();
        assertEquals("", read(), "a clean release leaves no holder behind");
        StackLock.acquire(dir, "rollback --journal latest", Duration.ZERO, log::add).close();
        assertTrue(log.stream().noneMatch(l -> l.contains("stale")), log.toString());
    }

    @Test
    void anotherProcessHoldingTheLockIsNamed() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockingProcess.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
            assertEquals("held", out.readLine(), "the other process took the lock");
            var e = assertThrows(EnvironmentException.class,
                    () -> StackLock.acquire(dir, "rollback --journal latest", Duration.ZERO, log::add));
            assertTrue(e.getMessage().contains("pid " + holder.pid() + " on "), e.getMessage());
            assertTrue(e.getMessage().contains("'rebuild-wave --all'"), e.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        StackLock.acquire(dir, "rollback --journal latest", Duration.ZERO, log::add).close();
        assertTrue(log.stream().noneMatch(l -> l.contains("stale")), "released cleanly: " + log);
    }

    @Test
    void aWaitingRunGetsTheLockWhenTheHolderFinishes() throws Exception {
        StackLock first = StackLock.acquire(dir, "backup --quiesce data-api", Duration.ZERO, log::add);
        var waiting = new CountDownLatch(1);
        var got = new AtomicReference<StackLock>();
        var failure = new AtomicReference<Throwable>();
        Thread second = new Thread(() -> {
            try {
                got.set(StackLock.acquire(dir, "rebuild-wave day 1", Duration.ofMinutes(1), l -> {
                    log.add(l);
                    waiting.countDown();
                }));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        second.start();
        assertTrue(waiting.await(30, TimeUnit.SECONDS), "the second run says it waits");
        assertTrue(log.get(0).contains("'backup --quiesce data-api'") && log.get(0).contains("waiting up to 1m"), log.toString());
        first.close();
        second.join(30_000);
        assertEquals(null, failure.get());
        assertTrue(read().contains("rebuild-wave day 1"), "the new holder describes itself: " + read());
        got.get().close();
    }

    @Test
    void theStaleLockOfADeadProcessIsTakenOverAndSaysSo() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        var stale = new LockHolder(dead.pid(), LockHolder.hostName(), "rebuild-wave --all", "jenkins-homeiq-7", null,
                "2026-12-01T20:00:00Z");
        Files.write(dir.resolve(StackLock.FILE), new ObjectMapper().writeValueAsBytes(stale));
        StackLock.acquire(dir, "rollback --journal latest", Duration.ZERO, log::add).close();
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("took over the stale lock of pid " + dead.pid()), log.get(0));
        assertTrue(log.get(0).contains("Jenkins build jenkins-homeiq-7") && log.get(0).contains("that process is gone"), log.get(0));
    }

    private String read() {
        try {
            return Files.readString(dir.resolve(StackLock.FILE));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
