package org.homeiq.deploy.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.homeiq.deploy.EnvironmentException;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {
    private final ProcessRunner runner = new ProcessRunner();

    @Test
    void capturesBothStreamsAndExitCode() {
        ProcessResult r = runner.run(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertFalse(r.ok());
    }

    @Test
    void argumentsAreNeverInterpretedByAShell() {
        ProcessResult r = runner.run(List.of("echo", "$HOME; rm -rf /"), Duration.ofSeconds(10));
        assertEquals("$HOME; rm -rf /\n", r.stdout());
    }

    @Test
    void killsACommandPastItsTimeout() {
        long t0 = System.nanoTime();
        ProcessResult r = runner.run(List.of("sleep", "30"), Duration.ofMillis(300));
        assertTrue(r.timedOut());
        assertFalse(r.ok());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void streamsLargeOutputAndFeedsStdin() {
        byte[] data = new byte[5 * 1024 * 1024];
        new java.util.Random(1).nextBytes(data);
        var out = new ByteArrayOutputStream();
        ProcessResult r = runner.stream(List.of("cat"), Duration.ofSeconds(30), new ByteArrayInputStream(data), out);
        assertTrue(r.ok(), r.stderr());
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void passesExtraEnvironment() {
        ProcessResult r = runner.withEnvironment(Map.of("HOMEIQ_X", "42")).run(List.of("/bin/sh", "-c", "echo $HOMEIQ_X"), Duration.ofSeconds(10));
        assertEquals("42\n", r.stdout());
    }

    @Test
    void missingProgramIsAnEnvironmentProblem() {
        var e = assertThrows(EnvironmentException.class,
                () -> runner.run(List.of("homeiq-no-such-program"), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("homeiq-no-such-program"), e.getMessage());
    }
}
