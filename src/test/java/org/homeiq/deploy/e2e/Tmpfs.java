package org.homeiq.deploy.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.homeiq.deploy.docker.ProcessResult;
import org.homeiq.deploy.docker.ProcessRunner;

/** A small tmpfs mounted for one test (a disk that fills up); close unmounts it. Needs root. */
final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    static Tmpfs mount(Path dir, String size) {
        ProcessResult r = new ProcessRunner().run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()),
                Duration.ofSeconds(20));
        if (!r.ok()) {
            throw new AssertionError("cannot mount a tmpfs at " + dir + " (the disk-full test needs root): " + r.diagnostic());
        }
        return new Tmpfs(dir);
    }

    @Override
    public void close() {
        ProcessResult r = new ProcessRunner().run(List.of("umount", dir.toString()), Duration.ofSeconds(20));
        if (!r.ok()) {
            throw new AssertionError("cannot unmount " + dir + ": " + r.diagnostic());
        }
    }
}
