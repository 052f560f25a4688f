package org.homeiq.deploy.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.homeiq.deploy.EnvironmentException;
import org.junit.jupiter.api.Test;

/** The adapter's failure modes that need no running daemon. */
class DockerClientTest {
    @Test
    void dockerCliMissingSaysNotInstalled() {
        var docker = new Docker(new ProcessRunner(), "homeiq-no-such-docker");
        var e = assertThrows(EnvironmentException.class, docker::serverVersion);
        assertTrue(e.getMessage().contains("Docker is not installed"), e.getMessage());
    }

    @Test
    void daemonUnreachableSaysSo() {
        var runner = new ProcessRunner().withEnvironment(Map.of("DOCKER_HOST", "unix:///nonexistent/homeiq-docker.sock"));
        var e = assertThrows(EnvironmentException.class, () -> Docker.connect(runner));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }

    @Test
    void imageReferencesSplitAtTheTagNotTheRegistryPort() {
        assertEquals(new ImageRef("registry:5000/homeiq/data-api", "latest"), ImageRef.parse("registry:5000/homeiq/data-api"));
        assertEquals(new ImageRef("homeiq/data-api", "pre-rebuild"), ImageRef.parse("homeiq/data-api:pre-rebuild"));
        assertEquals("influxdb:failed-20260101-000000", ImageRef.parse("influxdb:2.7").withTag("failed-20260101-000000").toString());
    }
}
