package org.homeiq.deploy.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.e2e.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How compose is run: v1's ups that wait for their turn go together; the CLI is looked for only when needed. */
class ComposeCliUpsTest {
    private static final Path DIR = Path.of("/srv/homeiq");
    private static final Path FILE = DIR.resolve("docker-compose.yml");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** Stands in for docker-compose: records each command; the first up waits to be released; one service can fail. */
    private static final class FakeCompose extends ProcessRunner {
        final List<List<String>> commands = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        volatile String failing;

        List<List<String>> ups() {
            return commands.stream().filter(c -> c.contains("up")).map(c -> c.subList(c.indexOf("--no-build") + 1, c.size())).toList();
        }

        @Override
        public ProcessResult run(List<String> command, Duration timeout, InputStream stdin) {
            commands.add(List.copyOf(command));
            if (command.contains("up") && ups().size() == 1) {
                try {
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean fails = failing != null && command.contains(failing);
            return new ProcessResult(command, fails ? 1 : 0, "", fails ? "ERROR: for " + failing + "  port is already allocated" : "", false);
        }
    }

    private CompletableFuture<ProcessResult> up(ComposeCli cli, String service) {
        return CompletableFuture.supplyAsync(() -> cli.up(List.of(service)), callers);
    }

    /** One up holds v1's turn while three more arrive; returns their futures (the first's last). */
    private List<CompletableFuture<ProcessResult>> fourUps(FakeCompose fake, ComposeCli cli) {
        var first = up(cli, "a");
        Await.until("the first up runs", WAIT, () -> fake.ups().size() == 1);
        var rest = new ArrayList<>(List.of(up(cli, "b"), up(cli, "c"), up(cli, "d")));
        Await.until("three ups wait for their turn", WAIT, () -> cli.waitingUps() == 3);
        fake.release.countDown();
        rest.add(first);
        return rest;
    }

    @Test
    void v1UpsThatWaitForTheirTurnGoTogetherInOneProcess() {
        var fake = new FakeCompose();
        var cli = new ComposeCli(fake, ComposeCli.Flavour.V1, DIR, FILE, "homeiq", null);
        fourUps(fake, cli).forEach(f -> assertTrue(f.join().ok()));
        List<List<String>> ups = fake.ups();
        assertEquals(2, ups.size(), "one process for the first, one for the three that waited: " + ups);
        assertEquals(List.of("a"), ups.get(0));
        assertEquals(Set.of("b", "c", "d"), new HashSet<>(ups.get(1)));
    }

    @Test
    void aFailedUpTogetherIsRetriedAloneSoTheFailureIsChargedToItsOwnService() {
        var fake = new FakeCompose();
        fake.failing = "c";
        var cli = new ComposeCli(fake, ComposeCli.Flavour.V1, DIR, FILE, "homeiq", null);
        List<CompletableFuture<ProcessResult>> f = fourUps(fake, cli);
        assertTrue(f.get(0).join().ok(), "b");
        var e = assertThrows(CompletionException.class, () -> f.get(1).join());
        assertTrue(e.getCause() instanceof EnvironmentException && e.getCause().getMessage().contains("port is already allocated"),
                String.valueOf(e.getCause()));
        assertTrue(f.get(2).join().ok(), "d");
        assertTrue(f.get(3).join().ok(), "a");
        List<List<String>> ups = fake.ups();
        assertEquals(5, ups.size(), "a, b+c+d together, then b, c and d alone: " + ups);
        assertEquals(Set.of(List.of("b"), List.of("c"), List.of("d")), new HashSet<>(ups.subList(2, 5)));
    }

    @Test
    void theCliIsLookedForOnlyWhenACommandNeedsIt() {
        var fake = new FakeCompose();
        var cli = ComposeCli.detecting(fake, DIR, FILE, "homeiq", null);
        assertEquals("homeiq", cli.name());
        assertEquals(List.of(), fake.commands, "naming the project runs nothing");
        assertEquals(ComposeCli.Flavour.V2, cli.flavour());
        assertEquals(List.of(List.of("docker", "compose", "version")), fake.commands);
        cli.restart(List.of("a"));
        assertEquals(2, fake.commands.size(), "looked for once: " + fake.commands);
    }
}
