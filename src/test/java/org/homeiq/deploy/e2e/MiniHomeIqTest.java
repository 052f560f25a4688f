package org.homeiq.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself: the stack serves what it is told to, and close leaves nothing behind. */
@DockerTest
class MiniHomeIqTest {
    @TempDir
    Path dir;

    @Test
    void servesHealthAndVersionAtOffsetPortsAndCleansUp() throws Exception {
        String project;
        try (MiniHomeIq mini = TestStack.create(dir, "fixture", List.of("data-api", "jaeger"))) {
            project = mini.projectName();
            mini.configure("jaeger", Behaviour.healthy().version("7").withDockerHealthcheck());
            // A build step that takes time (the benchmark's builds) must still build on this engine.
            mini.configure("data-api", Behaviour.healthy().buildDelay(Duration.ofMillis(200)));
            mini.start();
            assertTrue(java.nio.file.Files.readString(mini.projectDir().resolve("data-api/Dockerfile")).contains("RUN sleep 0.200"));
            assertEquals(8006 + TestStack.PORT_OFFSET, mini.port("data-api"));
            assertEquals("1", await(() -> mini.version("data-api")));
            assertEquals("7", await(() -> mini.version("jaeger")));
            // jaeger's health path is "/": the index answers.
            assertEquals("ok", await(() -> mini.get("jaeger", "/")));
            assertTrue(mini.engine().volume(mini.volumeName("sqlite-data")).isPresent());
            String id = mini.containerId("jaeger").orElseThrow();
            assertTrue(awaitTrue(() -> "healthy".equals(mini.engine().container(id).orElseThrow().health())),
                    "jaeger's Docker HEALTHCHECK should report healthy");
        }
        try (var docker = org.homeiq.deploy.docker.EngineApi.connect()) {
            assertTrue(docker.images(project + "/*").isEmpty(), "images left behind");
            assertTrue(docker.containers(java.util.Map.of("com.docker.compose.project", project)).isEmpty(), "containers left behind");
            assertFalse(docker.volume(project + "_sqlite-data").isPresent(), "volume left behind");
        }
    }

    @Test
    void startSlowlyThenHealthy() throws Exception {
        try (MiniHomeIq mini = TestStack.create(dir, "slow", List.of("admin-api"))) {
            // Long enough that even a slow `up` on a loaded host returns before /health answers.
            mini.configure("admin-api", Behaviour.healthy().startDelay(Duration.ofSeconds(6)));
            mini.start();
            assertEquals("1", await(() -> mini.version("admin-api")));
            long t0 = System.nanoTime();
            assertTrue(mini.get("admin-api", "/health").isEmpty(), "healthy too early");
            await(() -> mini.get("admin-api", "/health"));
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos());
        }
    }

    static <T> T await(Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met within 20 s");
    }

    static boolean awaitTrue(Supplier<Boolean> probe) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (probe.get()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
