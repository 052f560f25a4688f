package org.homeiq.deploy.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.EventType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.homeiq.deploy.EnvironmentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Engine API adapter without a daemon: its failures and its reading of Docker's events. */
class EngineApiTest {
    @TempDir
    Path dir;

    @Test
    void aMissingSocketIsAnEnvironmentProblemNamingIt() {
        String socket = dir.resolve("no-docker.sock").toString();
        var e = assertThrows(EnvironmentException.class, () -> EngineApi.connect("unix://" + socket));
        assertTrue(e.getMessage().contains(socket), e.getMessage());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }

    @Test
    void aDaemonThatIsNotListeningIsAnEnvironmentProblemNamingItsAddress() {
        // 41099: in this task's range, and nothing listens there.
        var e = assertThrows(EnvironmentException.class, () -> EngineApi.connect("tcp://127.0.0.1:41099"));
        assertTrue(e.getMessage().contains("127.0.0.1:41099"), e.getMessage());
    }

    @Test
    void healthStatusCarriesItsDetailAndDieItsExitCode() {
        Event health = new Event("health_status: healthy", "abc", "img", 1L)
                .withType(EventType.CONTAINER)
                .withAction("health_status: healthy")
                .withTimenano(1_700_000_000_123_456_789L)
                .withEventActor(new EventActor().withId("abc").withAttributes(Map.of(ComposeCli.SERVICE_LABEL, "data-api")));
        ContainerEvent h = EngineApi.event(health);
        assertEquals("health_status", h.action());
        assertEquals("healthy", h.health());
        assertEquals("data-api", h.service());
        assertEquals("abc", h.containerId());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_456_789L), h.time());
        assertNull(h.exitCode());

        Event die = new Event("die", "abc", "img", 2L).withType(EventType.CONTAINER).withAction("die")
                .withEventActor(new EventActor().withId("abc").withAttributes(Map.of("exitCode", "137")));
        ContainerEvent d = EngineApi.event(die);
        assertEquals("die", d.action());
        assertEquals(137, d.exitCode());
        assertNull(d.health());
        assertNull(d.service());
        assertEquals(Instant.ofEpochSecond(2), d.time());
    }

    @Test
    void eventsOfOtherObjectsAreNotContainerEvents() {
        Event net = new Event("connect", "n1", null, 1L).withType(EventType.NETWORK).withAction("connect");
        assertNull(EngineApi.event(net));
    }
}
