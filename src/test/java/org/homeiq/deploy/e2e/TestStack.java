package org.homeiq.deploy.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.homeiq.deploy.docker.ProcessRunner;

/**
 * The miniature HomeIQ for end-to-end tests: {@link MiniHomeIq} (the same code {@code demo} runs)
 * with a unique project name per test, so parallel JVMs and leftovers never collide, and the
 * test port offset. Use in try-with-resources: close removes every Docker object it made.
 */
public final class TestStack {
    /**
     * HomeIQ ports + 20000 (data-api on 28006): never the real ports, never the demo's. Stacks on the
     * same offset take turns (see MiniHomeIq); {@code -Dhomeiq.test.portOffset=N} moves them elsewhere
     * on a shared machine where other builds run these tests at the same time.
     */
    public static final int PORT_OFFSET = Integer.getInteger("homeiq.test.portOffset", 20000);

    /** Short gates so tests run in seconds; the stability window is still checked, just briefly. */
    public static final String FAST_GATES = """
            gates:
              deploy:
                stabilityWindow: 1s
            """;

    private TestStack() {
    }

    /** A stack in {@code dir} with a fresh project name starting with {@code prefix}. */
    public static MiniHomeIq create(Path dir, String prefix, List<String> services) {
        return create(dir, prefix, PORT_OFFSET, services);
    }

    public static MiniHomeIq create(Path dir, String prefix, int portOffset, List<String> services) {
        return MiniHomeIq.create(new ProcessRunner(), dir, uniqueName(prefix), portOffset, services, FAST_GATES);
    }

    /**
     * A stack in {@code parent/<its project name>}: compose's default project name is the directory's,
     * so the engine finds the stack from {@code --project-dir} alone, as a Jenkinsfile points it there.
     */
    public static MiniHomeIq createNamedByDirectory(Path parent, String prefix, List<String> services, String extraOverlay) {
        String name = uniqueName(prefix);
        return MiniHomeIq.create(new ProcessRunner(), parent.resolve(name), name, PORT_OFFSET, services, FAST_GATES + extraOverlay);
    }

    /** Engine arguments {@code COMMAND --project-dir DIR -p NAME REST...} for this stack. */
    public static String[] args(MiniHomeIq mini, String... commandAndRest) {
        var a = new java.util.ArrayList<>(List.of(commandAndRest));
        a.addAll(1, mini.engineArgs());
        return a.toArray(String[]::new);
    }

    /** The service's {@code /version}, waiting (with a deadline) until it answers. */
    public static String version(MiniHomeIq mini, String service) {
        Await.until(service + " answers /version", java.time.Duration.ofSeconds(30), () -> mini.version(service).isPresent());
        return mini.version(service).orElseThrow();
    }

    /** {@code hiqt-<prefix>-<random>}: lower case, valid for compose, unique per test. */
    public static String uniqueName(String prefix) {
        return ("hiqt-" + prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffffL, 36))
                .toLowerCase(Locale.ROOT);
    }
}
