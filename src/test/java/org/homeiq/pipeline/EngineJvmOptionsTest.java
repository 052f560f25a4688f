package org.homeiq.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JVM options every engine launch uses (the steps, the benches, a user by hand), given to
 * this JDK's own launcher as the @argfile they are: an unknown option or a bad value fails the
 * build here rather than every step on every agent.
 */
class EngineJvmOptionsTest {
    static final Path OPTIONS = Path.of("resources/org/homeiq/pipeline/engine-jvm.options");

    @Test
    void theLauncherAcceptsTheOptionsFile() throws Exception {
        assertTrue(Files.isRegularFile(OPTIONS), OPTIONS + " is missing");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "@" + OPTIONS.toAbsolutePath(), "-version")
                .redirectErrorStream(true).start();
        // Read to the end first: the launcher exits once it has written its version.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java @" + OPTIONS + " -version did not exit");
        assertEquals(0, p.exitValue(), "java @" + OPTIONS + " -version:\n" + out);
        assertTrue(out.contains("version"), out);
    }
}
