package org.homeiq.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.homeiq.deploy.docker.ContainerEvent;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.DockerEngine;
import org.homeiq.deploy.docker.EngineApi;
import org.homeiq.deploy.docker.ImageInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Engine API adapter against a real daemon and a real compose project. */
@DockerTest
class EngineApiE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void readsTagsAndStreamsEventsOfOneComposeProject() {
        try (MiniHomeIq mini = TestStack.create(dir, "engine", List.of("data-api", "jaeger"));
                DockerEngine engine = EngineApi.connect()) {
            String project = mini.projectName();
            mini.configure("data-api", Behaviour.healthy().withDockerHealthcheck().logLine("WARN engine-e2e marker"));
            // jaeger crashes once healthy: compose's restart policy brings it back, so die and start again.
            mini.configure("jaeger", Behaviour.healthy().crashAfter(Duration.ofSeconds(2)));
            assertTrue(engine.serverVersion().matches("\\d+\\.\\d+.*"), engine.serverVersion());

            var events = new CopyOnWriteArrayList<ContainerEvent>();
            var threads = new CopyOnWriteArrayList<String>();
            var other = new CopyOnWriteArrayList<ContainerEvent>();
            try (var sub = engine.events(project, e -> {
                        events.add(e);
                        threads.add(Thread.currentThread().getName());
                    });
                    var unrelated = engine.events(project + "-other", other::add)) {
                mini.start();

                ContainerState data = engine.serviceContainer(project, "data-api").orElseThrow();
                assertEquals(mini.containerId("data-api").orElseThrow(), data.id().substring(0, mini.containerId("data-api").get().length()));
                assertEquals(project + "-data-api-1", data.name().replace('_', '-'), "compose's container name");
                assertEquals(mini.image("data-api"), data.image());
                assertTrue(data.imageId().startsWith("sha256:"), data.imageId());
                assertTrue(data.hasHealthcheck(), "data-api's image has a HEALTHCHECK");
                assertTrue(engine.serviceContainer(project, "influxdb").isEmpty(), "not a service of this stack");
                assertTrue(engine.serviceContainer(project + "-other", "data-api").isEmpty(), "another project");
                assertTrue(engine.container("hiqt-no-such-container").isEmpty());
                assertEquals(data.id(), engine.container(data.name()).orElseThrow().id(), "by name too");

                Await.until("data-api healthy by inspect", WAIT,
                        () -> "healthy".equals(engine.container(data.id()).orElseThrow().health()));
                Await.until("start, health_status healthy of data-api in the event stream", WAIT,
                        () -> has(events, e -> "data-api".equals(e.service()) && "start".equals(e.action()))
                                && has(events, e -> "data-api".equals(e.service()) && "health_status".equals(e.action())
                                        && "healthy".equals(e.health())));
                Await.until("jaeger dies with exit code 1 and is started again", WAIT,
                        () -> has(events, e -> "jaeger".equals(e.service()) && "die".equals(e.action())
                                && Integer.valueOf(1).equals(e.exitCode()))
                                && events.stream().filter(e -> "jaeger".equals(e.service()) && "start".equals(e.action())).count() >= 2);
                assertTrue(events.stream().allMatch(e -> e.containerId().length() == 64 && e.time().getEpochSecond() > 0));
                assertEquals(1, threads.stream().distinct().count(), "one delivery thread: " + threads.stream().distinct().toList());
                assertTrue(other.isEmpty(), "events of another project: " + other);

                List<String> log = engine.logs(data.id(), 50);
                assertTrue(log.contains("WARN engine-e2e marker"), log.toString());
                assertTrue(log.stream().anyMatch(l -> l.startsWith("data-api version 1 starting")), log.toString());
                assertEquals(1, engine.logs(data.id(), 1).size());
                assertTrue(engine.logs("hiqt-no-such-container", 5).isEmpty());

                ImageInfo img = engine.image(mini.image("data-api")).orElseThrow();
                assertEquals(data.imageId(), img.id());
                assertEquals("1", img.labels().get("org.homeiq.mini.version"));
                assertTrue(img.repoTags().contains(mini.image("data-api")), img.repoTags().toString());
                String restore = project + "/data-api:e2e-restore";
                engine.tag(img.id(), restore);
                assertEquals(img.id(), engine.image(restore).orElseThrow().id());
                assertTrue(engine.images(project + "/data-api").contains(restore), engine.images(project + "/data-api").toString());
                assertFalse(engine.images(project + "/data-api").contains(mini.image("jaeger")), "the filter is the reference");
                engine.untag(restore);
                assertTrue(engine.image(restore).isEmpty());
                assertTrue(engine.image(mini.image("data-api")).isPresent(), "only the tag went");
                engine.untag(restore); // missing is fine
                assertTrue(engine.image(project + "/no-such:tag").isEmpty());
                var noSource = assertThrows(EnvironmentException.class, () -> engine.tag(project + "/no-such:tag", restore));
                assertTrue(noSource.getMessage().contains(project + "/no-such:tag"), noSource.getMessage());

                // A closed stream delivers nothing more; the open one still sees what follows.
                sub.close();
                int seen = events.size();
                var after = new CopyOnWriteArrayList<ContainerEvent>();
                try (var again = engine.events(project, after::add)) {
                    mini.compose().stop(List.of("data-api"));
                    Await.until("stop of data-api seen by the new stream", WAIT,
                            () -> has(after, e -> "data-api".equals(e.service()) && "die".equals(e.action())));
                }
                assertEquals(seen, events.size(), "events after close: " + events.subList(seen, events.size()));
            }
        }
    }

    private static boolean has(List<ContainerEvent> events, Predicate<ContainerEvent> p) {
        return events.stream().anyMatch(p);
    }
}
